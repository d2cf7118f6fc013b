// SPDX-License-Identifier: GPL-2.0-only
/*
 * verso rear (cover) AMOLED panel: a MIPI-DSI command-mode panel whose
 * modes, DSI settings, brightness range and DCS sequences come from a
 * firmware blob (Documentation/kernel/panel-firmware.md).
 *
 * The power sequence follows upstream DSI panels (panel-sitronix-st7703,
 * panel-mipi-dbi):
 *   prepare:   supplies on, reset pulse, INIT sequence
 *   enable:    ENABLE sequence (sleep-out, wait, display-on), brightness
 *   disable:   IDLE_EXIT if idle, DISABLE sequence (display-off, sleep-in)
 *   unprepare: reset asserted, supplies off
 */

#include <linux/backlight.h>
#include <linux/delay.h>
#include <linux/firmware.h>
#include <linux/gpio/consumer.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/property.h>
#include <linux/regulator/consumer.h>

#include <drm/drm_connector.h>
#include <drm/drm_mipi_dsi.h>
#include <drm/drm_modes.h>
#include <drm/drm_panel.h>

#include <video/mipi_display.h>

#include "panel-verso-rear-amoled.h"
#include "verso_panel_fw.h"

static char *verso_rear_panel_fw = VERSO_PANEL_FW_DEFAULT_NAME;
module_param_named(rear_panel, verso_rear_panel_fw, charp, 0444);
MODULE_PARM_DESC(rear_panel,
		 "Rear panel firmware, when the device has no firmware-name property (default: "
		 VERSO_PANEL_FW_DEFAULT_NAME ")");

/**
 * struct verso_rear_amoled - one panel
 * @panel: DRM panel
 * @dsi: DSI device of the panel
 * @backlight: DCS brightness, as a backlight class device
 * @supplies: vddio and vci; NULL when not described (no DT)
 * @reset_gpio: reset line (active low on the connector), if wired
 * @orientation: mounting, from the DT "rotation" property
 * @fw_name: firmware file the panel was described by
 * @lock: serialises DCS sequences; protects the flags below
 * @prepared: supplies on, out of reset, INIT sent
 * @enabled: ENABLE sent: the panel shows frames
 * @idle: the panel is in idle mode
 * @fw: the parsed firmware; its sequences point into the blob copy
 */
struct verso_rear_amoled {
	struct drm_panel panel;
	struct mipi_dsi_device *dsi;
	struct backlight_device *backlight;
	struct regulator *supplies[2];
	struct gpio_desc *reset_gpio;
	enum drm_panel_orientation orientation;
	const char *fw_name;

	struct mutex lock; /* see above */
	bool prepared;
	bool enabled;
	bool idle;

	struct verso_panel_fw fw;
};

static inline struct verso_rear_amoled *to_ctx(struct drm_panel *panel)
{
	return container_of(panel, struct verso_rear_amoled, panel);
}

static int verso_rear_amoled_run(struct verso_rear_amoled *ctx,
				 unsigned int id)
{
	const struct verso_panel_fw_seq *seq = &ctx->fw.seqs[id];
	struct mipi_dsi_device *dsi = ctx->dsi;
	struct verso_panel_fw_step st;
	unsigned int n = 0;
	u32 pos = 0;
	int ret;

	lockdep_assert_held(&ctx->lock);

	for (;;) {
		ret = verso_panel_fw_next_step(seq, &pos, &st);
		if (ret <= 0)
			break;
		n++;

		switch (st.op) {
		case VERSO_PANEL_FW_OP_DCS:
			ret = mipi_dsi_dcs_write_buffer(dsi, st.data, st.len);
			break;
		case VERSO_PANEL_FW_OP_GENERIC:
			ret = mipi_dsi_generic_write(dsi, st.data, st.len);
			break;
		case VERSO_PANEL_FW_OP_DELAY:
			/*
			 * Panel delays are minimums. msleep() counts from
			 * jiffies, which lag the clock when a tick is late, so
			 * it can return early; the hrtimer sleep cannot.
			 */
			usleep_range(st.delay_ms * 1000, st.delay_ms * 1000 + 1000);
			ret = 0;
			break;
		default:
			ret = -EINVAL;
			break;
		}
		if (ret < 0)
			break;
	}

	if (ret < 0)
		dev_err(&dsi->dev, "%s sequence: step %u failed: %d\n",
			verso_panel_fw_seq_name(id), n, ret);

	return ret < 0 ? ret : 0;
}

/* DCS 0x51 with 1 or 2 bytes (MSB first), as the firmware says. */
static int verso_rear_amoled_send_brightness(struct verso_rear_amoled *ctx)
{
	int level = backlight_get_brightness(ctx->backlight);
	u8 buf[2];
	int ret;

	lockdep_assert_held(&ctx->lock);

	if (ctx->fw.brightness_bytes == 2) {
		buf[0] = level >> 8;
		buf[1] = level & 0xff;
	} else {
		buf[0] = level;
	}

	ret = mipi_dsi_dcs_write(ctx->dsi, MIPI_DCS_SET_DISPLAY_BRIGHTNESS,
				 buf, ctx->fw.brightness_bytes);

	return ret < 0 ? ret : 0;
}

/* Supplies in order on, in reverse order off. */
static int verso_rear_amoled_power(struct verso_rear_amoled *ctx, bool on)
{
	int i, ret;

	if (!on) {
		for (i = ARRAY_SIZE(ctx->supplies) - 1; i >= 0; i--)
			if (ctx->supplies[i])
				regulator_disable(ctx->supplies[i]);
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(ctx->supplies); i++) {
		if (!ctx->supplies[i])
			continue;
		ret = regulator_enable(ctx->supplies[i]);
		if (ret) {
			while (--i >= 0)
				if (ctx->supplies[i])
					regulator_disable(ctx->supplies[i]);
			return ret;
		}
	}

	return 0;
}

static int verso_rear_amoled_prepare(struct drm_panel *panel)
{
	struct verso_rear_amoled *ctx = to_ctx(panel);
	struct device *dev = panel->dev;
	int ret;

	mutex_lock(&ctx->lock);
	if (ctx->prepared) {
		mutex_unlock(&ctx->lock);
		return 0;
	}

	ret = verso_rear_amoled_power(ctx, true);
	if (ret) {
		dev_err(dev, "cannot enable supplies: %d\n", ret);
		goto out;
	}

	/* Reset pulse; 5 ms before commands, 120 ms before sleep-out. */
	if (ctx->reset_gpio) {
		gpiod_set_value_cansleep(ctx->reset_gpio, 1);
		usleep_range(10000, 11000);
		gpiod_set_value_cansleep(ctx->reset_gpio, 0);
		usleep_range(120000, 121000);
	}

	ret = verso_rear_amoled_run(ctx, VERSO_PANEL_FW_SEQ_INIT);
	if (ret) {
		gpiod_set_value_cansleep(ctx->reset_gpio, 1);
		verso_rear_amoled_power(ctx, false);
		goto out;
	}

	ctx->prepared = true;
	ctx->idle = false;
out:
	mutex_unlock(&ctx->lock);
	return ret;
}

static int verso_rear_amoled_enable(struct drm_panel *panel)
{
	struct verso_rear_amoled *ctx = to_ctx(panel);
	int ret;

	mutex_lock(&ctx->lock);
	if (ctx->enabled) {
		mutex_unlock(&ctx->lock);
		return 0;
	}

	ret = verso_rear_amoled_run(ctx, VERSO_PANEL_FW_SEQ_ENABLE);
	if (!ret)
		ret = verso_rear_amoled_send_brightness(ctx);
	if (!ret)
		ctx->enabled = true;
	mutex_unlock(&ctx->lock);

	return ret;
}

static int verso_rear_amoled_disable(struct drm_panel *panel)
{
	struct verso_rear_amoled *ctx = to_ctx(panel);
	int ret;

	mutex_lock(&ctx->lock);
	if (!ctx->enabled) {
		mutex_unlock(&ctx->lock);
		return 0;
	}

	/* Idle mode outlives sleep: leave it, or the next enable is idle. */
	if (ctx->idle &&
	    !verso_rear_amoled_run(ctx, VERSO_PANEL_FW_SEQ_IDLE_EXIT))
		ctx->idle = false;

	ret = verso_rear_amoled_run(ctx, VERSO_PANEL_FW_SEQ_DISABLE);
	ctx->enabled = false;
	mutex_unlock(&ctx->lock);

	return ret;
}

static int verso_rear_amoled_unprepare(struct drm_panel *panel)
{
	struct verso_rear_amoled *ctx = to_ctx(panel);

	mutex_lock(&ctx->lock);
	if (ctx->prepared) {
		gpiod_set_value_cansleep(ctx->reset_gpio, 1);
		verso_rear_amoled_power(ctx, false);
		ctx->prepared = false;
		ctx->idle = false;
	}
	mutex_unlock(&ctx->lock);

	return 0;
}

/**
 * verso_rear_amoled_fw_mode - fill a DRM mode from a firmware mode
 * @fw: parsed panel firmware
 * @i: index into @fw's mode table
 * @mode: the mode to fill
 *
 * Shared by get_modes and by a host that needs the panel's timings before
 * a connector exists, so both see the same modes.
 */
void verso_rear_amoled_fw_mode(const struct verso_panel_fw *fw, unsigned int i,
			       struct drm_display_mode *mode)
{
	const struct verso_panel_fw_mode *m = &fw->modes[i];

	mode->clock = m->clock_khz;
	mode->hdisplay = m->hdisplay;
	mode->hsync_start = m->hsync_start;
	mode->hsync_end = m->hsync_end;
	mode->htotal = m->htotal;
	mode->vdisplay = m->vdisplay;
	mode->vsync_start = m->vsync_start;
	mode->vsync_end = m->vsync_end;
	mode->vtotal = m->vtotal;
	/* The sync bits are the DRM_MODE_FLAG_* values. */
	mode->flags = m->flags & (VERSO_PANEL_FW_MODE_PHSYNC |
				  VERSO_PANEL_FW_MODE_NHSYNC |
				  VERSO_PANEL_FW_MODE_PVSYNC |
				  VERSO_PANEL_FW_MODE_NVSYNC);
	mode->type = DRM_MODE_TYPE_DRIVER;
	if (i == fw->preferred)
		mode->type |= DRM_MODE_TYPE_PREFERRED;
	mode->width_mm = fw->width_mm;
	mode->height_mm = fw->height_mm;
	drm_mode_set_name(mode);
}

static int verso_rear_amoled_get_modes(struct drm_panel *panel,
				       struct drm_connector *connector)
{
	struct verso_rear_amoled *ctx = to_ctx(panel);
	const struct verso_panel_fw *fw = &ctx->fw;
	struct drm_display_mode *mode;
	unsigned int i;
	int count = 0;

	for (i = 0; i < fw->num_modes; i++) {
		mode = drm_mode_create(connector->dev);
		if (!mode)
			break;

		verso_rear_amoled_fw_mode(fw, i, mode);
		drm_mode_probed_add(connector, mode);
		count++;
	}

	connector->display_info.width_mm = fw->width_mm;
	connector->display_info.height_mm = fw->height_mm;
	connector->display_info.bpc = 8;

	return count;
}

static enum drm_panel_orientation
verso_rear_amoled_get_orientation(struct drm_panel *panel)
{
	return to_ctx(panel)->orientation;
}

static const struct drm_panel_funcs verso_rear_amoled_funcs = {
	.prepare	= verso_rear_amoled_prepare,
	.enable		= verso_rear_amoled_enable,
	.disable	= verso_rear_amoled_disable,
	.unprepare	= verso_rear_amoled_unprepare,
	.get_modes	= verso_rear_amoled_get_modes,
	.get_orientation = verso_rear_amoled_get_orientation,
};

static int verso_rear_amoled_bl_update(struct backlight_device *bl)
{
	struct verso_rear_amoled *ctx = bl_get_data(bl);
	int ret = 0;

	mutex_lock(&ctx->lock);
	/* Asleep, the level waits for the next enable. */
	if (ctx->enabled)
		ret = verso_rear_amoled_send_brightness(ctx);
	mutex_unlock(&ctx->lock);

	return ret;
}

static const struct backlight_ops verso_rear_amoled_bl_ops = {
	.options	= BL_CORE_SUSPENDRESUME,
	.update_status	= verso_rear_amoled_bl_update,
};

/* Firmware DSI flags to the kernel's, one by one: they are an ABI. */
static const struct {
	u32 fw;
	unsigned long dsi;
} verso_rear_amoled_dsi_flags[] = {
	{ VERSO_PANEL_FW_DSI_VIDEO, MIPI_DSI_MODE_VIDEO },
	{ VERSO_PANEL_FW_DSI_VIDEO_BURST, MIPI_DSI_MODE_VIDEO_BURST },
	{ VERSO_PANEL_FW_DSI_VIDEO_SYNC_PULSE, MIPI_DSI_MODE_VIDEO_SYNC_PULSE },
	{ VERSO_PANEL_FW_DSI_VIDEO_AUTO_VERT, MIPI_DSI_MODE_VIDEO_AUTO_VERT },
	{ VERSO_PANEL_FW_DSI_VIDEO_HSE, MIPI_DSI_MODE_VIDEO_HSE },
	{ VERSO_PANEL_FW_DSI_VIDEO_NO_HFP, MIPI_DSI_MODE_VIDEO_NO_HFP },
	{ VERSO_PANEL_FW_DSI_VIDEO_NO_HBP, MIPI_DSI_MODE_VIDEO_NO_HBP },
	{ VERSO_PANEL_FW_DSI_VIDEO_NO_HSA, MIPI_DSI_MODE_VIDEO_NO_HSA },
	{ VERSO_PANEL_FW_DSI_VSYNC_FLUSH, MIPI_DSI_MODE_VSYNC_FLUSH },
	{ VERSO_PANEL_FW_DSI_NO_EOT_PACKET, MIPI_DSI_MODE_NO_EOT_PACKET },
	{ VERSO_PANEL_FW_DSI_CLOCK_NON_CONTINUOUS,
	  MIPI_DSI_CLOCK_NON_CONTINUOUS },
	{ VERSO_PANEL_FW_DSI_LPM, MIPI_DSI_MODE_LPM },
};

static const enum mipi_dsi_pixel_format verso_rear_amoled_formats[] = {
	[VERSO_PANEL_FW_FMT_RGB888] = MIPI_DSI_FMT_RGB888,
	[VERSO_PANEL_FW_FMT_RGB666] = MIPI_DSI_FMT_RGB666,
	[VERSO_PANEL_FW_FMT_RGB666_PACKED] = MIPI_DSI_FMT_RGB666_PACKED,
	[VERSO_PANEL_FW_FMT_RGB565] = MIPI_DSI_FMT_RGB565,
};

static int verso_rear_amoled_load_fw(struct verso_rear_amoled *ctx)
{
	struct device *dev = &ctx->dsi->dev;
	const struct firmware *fw;
	const char *name;
	char err[160];
	size_t size;
	u8 *blob;
	int ret;

	if (device_property_read_string(dev, "firmware-name", &name))
		name = verso_rear_panel_fw;
	ctx->fw_name = devm_kstrdup(dev, name, GFP_KERNEL);
	if (!ctx->fw_name)
		return -ENOMEM;

	ret = request_firmware(&fw, name, dev);
	if (ret)
		return dev_err_probe(dev, ret, "panel firmware %s: cannot load\n",
				     name);

	/* The parsed sequences point into the blob: keep a copy. */
	size = fw->size;
	blob = devm_kmemdup(dev, fw->data, size, GFP_KERNEL);
	release_firmware(fw);
	if (!blob)
		return -ENOMEM;

	ret = verso_panel_fw_parse(blob, size, &ctx->fw, err, sizeof(err));
	if (ret)
		return dev_err_probe(dev, ret, "panel firmware %s: %s\n",
				     name, err);

	return 0;
}

static int verso_rear_amoled_probe(struct mipi_dsi_device *dsi)
{
	static const char * const supply_names[] = { "vddio", "vci" };
	struct device *dev = &dsi->dev;
	struct backlight_properties props = { };
	struct verso_rear_amoled *ctx;
	unsigned int i;
	int ret;

	ctx = devm_kzalloc(dev, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->dsi = dsi;
	mutex_init(&ctx->lock);

	ret = verso_rear_amoled_load_fw(ctx);
	if (ret)
		return ret;

	/*
	 * The binding requires both supplies. Without a DT node (the virtual
	 * DSI host), they and the reset line are simply not wired.
	 */
	for (i = 0; i < ARRAY_SIZE(ctx->supplies); i++) {
		struct regulator *reg;

		if (dev->of_node)
			reg = devm_regulator_get(dev, supply_names[i]);
		else
			reg = devm_regulator_get_optional(dev, supply_names[i]);
		if (IS_ERR(reg) && PTR_ERR(reg) == -ENODEV && !dev->of_node)
			reg = NULL;
		if (IS_ERR(reg))
			return dev_err_probe(dev, PTR_ERR(reg),
					     "cannot get %s supply\n",
					     supply_names[i]);
		ctx->supplies[i] = reg;
	}

	ctx->reset_gpio = devm_gpiod_get_optional(dev, "reset",
						  GPIOD_OUT_HIGH);
	if (IS_ERR(ctx->reset_gpio))
		return dev_err_probe(dev, PTR_ERR(ctx->reset_gpio),
				     "cannot get reset GPIO\n");

	ctx->orientation = DRM_MODE_PANEL_ORIENTATION_UNKNOWN;
	ret = of_drm_get_panel_orientation(dev->of_node, &ctx->orientation);
	if (ret || ctx->orientation == DRM_MODE_PANEL_ORIENTATION_UNKNOWN)
		ctx->orientation = DRM_MODE_PANEL_ORIENTATION_NORMAL;

	dsi->lanes = ctx->fw.lanes;
	dsi->format = verso_rear_amoled_formats[ctx->fw.format];
	dsi->mode_flags = 0;
	for (i = 0; i < ARRAY_SIZE(verso_rear_amoled_dsi_flags); i++)
		if (ctx->fw.dsi_flags & verso_rear_amoled_dsi_flags[i].fw)
			dsi->mode_flags |= verso_rear_amoled_dsi_flags[i].dsi;

	props.type = BACKLIGHT_RAW;
	props.max_brightness = ctx->fw.max_brightness;
	props.brightness = ctx->fw.default_brightness;
	ctx->backlight = devm_backlight_device_register(dev, dev_name(dev),
							dev, ctx,
							&verso_rear_amoled_bl_ops,
							&props);
	if (IS_ERR(ctx->backlight))
		return dev_err_probe(dev, PTR_ERR(ctx->backlight),
				     "cannot register backlight\n");

	drm_panel_init(&ctx->panel, dev, &verso_rear_amoled_funcs,
		       DRM_MODE_CONNECTOR_DSI);
	mipi_dsi_set_drvdata(dsi, ctx);
	drm_panel_add(&ctx->panel);

	ret = mipi_dsi_attach(dsi);
	if (ret) {
		drm_panel_remove(&ctx->panel);
		return dev_err_probe(dev, ret, "cannot attach to DSI host\n");
	}

	dev_info(dev, "%s: %u modes, %u lanes, brightness %u/%u, from %s\n",
		 ctx->fw.name, ctx->fw.num_modes, dsi->lanes,
		 ctx->fw.default_brightness, ctx->fw.max_brightness,
		 ctx->fw_name);

	return 0;
}

static void verso_rear_amoled_remove(struct mipi_dsi_device *dsi)
{
	struct verso_rear_amoled *ctx = mipi_dsi_get_drvdata(dsi);
	int ret;

	ret = mipi_dsi_detach(dsi);
	if (ret < 0)
		dev_err(&dsi->dev, "cannot detach from DSI host: %d\n", ret);

	drm_panel_remove(&ctx->panel);
}

static const struct of_device_id verso_rear_amoled_of_match[] = {
	{ .compatible = "verso,rear-amoled-ref" },
	{ .compatible = "verso,rear-amoled" },
	{ }
};
MODULE_DEVICE_TABLE(of, verso_rear_amoled_of_match);

static struct mipi_dsi_driver verso_rear_amoled_driver = {
	.probe	= verso_rear_amoled_probe,
	.remove	= verso_rear_amoled_remove,
	.driver	= {
		/* Without OF, the DSI bus matches the device by this name. */
		.name		= VERSO_REAR_AMOLED_NAME,
		/* The display controller holds the panel while it exists. */
		.suppress_bind_attrs = true,
		.of_match_table	= verso_rear_amoled_of_match,
	},
};

int verso_rear_amoled_register(void)
{
	return mipi_dsi_driver_register(&verso_rear_amoled_driver);
}

void verso_rear_amoled_unregister(void)
{
	mipi_dsi_driver_unregister(&verso_rear_amoled_driver);
}

struct drm_panel *verso_rear_amoled_get_panel(struct mipi_dsi_device *dsi)
{
	struct verso_rear_amoled *ctx;

	if (!dsi || dsi->dev.driver != &verso_rear_amoled_driver.driver)
		return NULL;
	ctx = mipi_dsi_get_drvdata(dsi);

	return ctx ? &ctx->panel : NULL;
}

const struct verso_panel_fw *verso_rear_amoled_fw(struct drm_panel *panel)
{
	return &to_ctx(panel)->fw;
}

const char *verso_rear_amoled_fw_name(struct drm_panel *panel)
{
	return to_ctx(panel)->fw_name;
}

int verso_rear_amoled_set_idle(struct drm_panel *panel, bool idle)
{
	struct verso_rear_amoled *ctx = to_ctx(panel);
	int ret = 0;

	if (!ctx->fw.seqs[VERSO_PANEL_FW_SEQ_IDLE_ENTER].num_steps)
		return -EOPNOTSUPP;

	mutex_lock(&ctx->lock);
	if (!ctx->enabled) {
		ret = -EAGAIN;
	} else if (ctx->idle != idle) {
		ret = verso_rear_amoled_run(ctx, idle ?
					    VERSO_PANEL_FW_SEQ_IDLE_ENTER :
					    VERSO_PANEL_FW_SEQ_IDLE_EXIT);
		if (!ret)
			ctx->idle = idle;
	}
	mutex_unlock(&ctx->lock);

	return ret;
}

MODULE_FIRMWARE(VERSO_PANEL_FW_DEFAULT_NAME);
