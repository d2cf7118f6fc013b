// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual DSI host of the rear pipe, and the panel it models.
 *
 * Without hardware the host creates the rear panel's DSI device itself, so
 * that the real panel driver binds to it. Its transfer() plays the panel:
 * it tracks the panel's power state, logs every command in debugfs and
 * rejects, with -EIO, the commands that a real panel would ignore or
 * mis-handle. The host also runs the rear pipe's idle (self-refresh) path.
 */

#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <drm/drm_atomic.h>
#include <drm/drm_managed.h>
#include <drm/drm_mipi_dsi.h>
#include <drm/drm_modes.h>
#include <drm/drm_panel.h>
#include <drm/drm_print.h>

#include <video/mipi_display.h>

#include "panel-verso-rear-amoled.h"
#include "verso_drv.h"
#include "verso_panel_fw.h"

unsigned int verso_idle_frames = 120;
module_param_named(idle_frames, verso_idle_frames, uint, 0644);
MODULE_PARM_DESC(idle_frames,
		 "Frames without a commit before the rear panel enters idle mode, 0 to never (default: 120)");

#define VERSO_DCS_LOG_LEN	256
#define VERSO_DCS_LOG_BYTES	16

/* Panel timings the model enforces (MIPI DCS 1.3 and AMOLED datasheets). */
#define VERSO_PANEL_CMD_WAIT_MS		5	/* after sleep-out, soft reset */
#define VERSO_PANEL_SLEEP_WAIT_MS	120	/* sleep-in <-> sleep-out */
#define VERSO_PANEL_ON_WAIT_MS		120	/* sleep-out -> display-on */

/**
 * struct verso_dcs_entry - one logged transfer
 * @t_us: time of the transfer, CLOCK_MONOTONIC, microseconds
 * @type: DSI data type
 * @len: bytes transmitted
 * @data: the first bytes transmitted
 * @injected: sent through rear_dcs_inject, not by the panel driver
 * @sleep_out: panel state after the transfer
 * @display_on: panel state after the transfer
 * @idle: panel state after the transfer
 * @te: panel state after the transfer
 * @brightness: panel state after the transfer
 * @reject: why the panel refused the command, empty if it took it
 */
struct verso_dcs_entry {
	s64 t_us;
	u8 type;
	u8 len;
	u8 data[VERSO_DCS_LOG_BYTES];
	bool injected;
	bool sleep_out;
	bool display_on;
	bool idle;
	bool te;
	u16 brightness;
	char reject[64];
};

/**
 * struct verso_panel_model - what the panel's controller chip holds
 * @sleep_out: out of sleep mode
 * @display_on: display on
 * @idle: idle mode (reduced colours, self-refresh)
 * @te: tearing effect output on
 * @brightness: display brightness register
 * @sleep_out_at: time of the latest sleep-out
 * @sleep_in_at: time of the latest sleep-in, soft reset or power-up
 * @busy_until: the panel takes no command before this time
 */
struct verso_panel_model {
	bool sleep_out;
	bool display_on;
	bool idle;
	bool te;
	u16 brightness;
	ktime_t sleep_out_at;
	ktime_t sleep_in_at;
	ktime_t busy_until;
};

/**
 * struct verso_dsi - the rear pipe's DSI host
 * @host: DSI host
 * @pipe: rear pipe
 * @device: the panel's DSI device
 * @panel: the panel driver bound to @device, or NULL
 * @desc: panel description built from the panel's firmware
 * @lock: protects the model, the counters and the log
 * @model: the modelled panel
 * @commands: transfers seen
 * @rejected: transfers refused
 * @log_head: next entry of @log to write
 * @log_count: valid entries in @log
 * @log: ring of the latest transfers
 * @idle_lock: protects the idle state below, serialises idle transitions
 * @panel_on: the panel is enabled by the pipe
 * @idle: the pipe put the panel in idle mode
 * @idle_entered: times the panel entered idle mode
 * @idle_exited: times the panel left idle mode
 * @idle_work: enters idle mode once the pipe had no commit for a while
 */
struct verso_dsi {
	struct mipi_dsi_host host;
	struct verso_pipe *pipe;
	struct mipi_dsi_device *device;
	struct drm_panel *panel;
	struct verso_panel_desc desc;

	struct mutex lock; /* see above */
	struct verso_panel_model model;
	unsigned long commands;
	unsigned long rejected;
	unsigned int log_head;
	unsigned int log_count;
	struct verso_dcs_entry log[VERSO_DCS_LOG_LEN];

	struct mutex idle_lock; /* see above */
	bool panel_on;
	bool idle;
	unsigned int idle_entered;
	unsigned int idle_exited;
	struct delayed_work idle_work;
};

static inline struct verso_dsi *host_to_verso_dsi(struct mipi_dsi_host *host)
{
	return container_of(host, struct verso_dsi, host);
}

static bool verso_dsi_is_dcs(u8 type)
{
	return type == MIPI_DSI_DCS_SHORT_WRITE ||
	       type == MIPI_DSI_DCS_SHORT_WRITE_PARAM ||
	       type == MIPI_DSI_DCS_LONG_WRITE ||
	       type == MIPI_DSI_DCS_READ;
}

static const char *verso_dsi_type_name(u8 type)
{
	switch (type) {
	case MIPI_DSI_DCS_SHORT_WRITE:
	case MIPI_DSI_DCS_SHORT_WRITE_PARAM:
	case MIPI_DSI_DCS_LONG_WRITE:
		return "dcs";
	case MIPI_DSI_DCS_READ:
		return "dcs-read";
	case MIPI_DSI_GENERIC_SHORT_WRITE_0_PARAM:
	case MIPI_DSI_GENERIC_SHORT_WRITE_1_PARAM:
	case MIPI_DSI_GENERIC_SHORT_WRITE_2_PARAM:
	case MIPI_DSI_GENERIC_LONG_WRITE:
		return "generic";
	case MIPI_DSI_GENERIC_READ_REQUEST_0_PARAM:
	case MIPI_DSI_GENERIC_READ_REQUEST_1_PARAM:
	case MIPI_DSI_GENERIC_READ_REQUEST_2_PARAM:
		return "generic-read";
	case MIPI_DSI_SET_MAXIMUM_RETURN_PACKET_SIZE:
		return "max-return-size";
	default:
		return "other";
	}
}

static bool within_ms(ktime_t now, ktime_t since, unsigned int ms)
{
	return ktime_before(now, ktime_add_ms(since, ms));
}

/*
 * The panel's reaction to one DCS command @d[0] with @n - 1 parameters.
 * Returns NULL when it takes the command, else why it does not; @buf holds
 * the message if it needs formatting.
 */
static const char *verso_dsi_model_dcs(struct verso_dsi *vdsi, const u8 *d,
				       size_t n, ktime_t now, char *buf,
				       size_t len)
{
	struct verso_panel_model *m = &vdsi->model;
	const struct verso_panel_fw *fw = NULL;
	unsigned int level, max, bytes;

	if (vdsi->panel)
		fw = verso_rear_amoled_fw(vdsi->panel);

	switch (d[0]) {
	case MIPI_DCS_SOFT_RESET:
		memset(m, 0, sizeof(*m));
		m->sleep_in_at = now;
		m->busy_until = ktime_add_ms(now, VERSO_PANEL_CMD_WAIT_MS);
		return NULL;
	case MIPI_DCS_ENTER_SLEEP_MODE:
		if (m->sleep_out &&
		    within_ms(now, m->sleep_out_at, VERSO_PANEL_SLEEP_WAIT_MS))
			return "sleep-in within 120 ms of sleep-out";
		m->sleep_out = false;
		m->sleep_in_at = now;
		return NULL;
	case MIPI_DCS_EXIT_SLEEP_MODE:
		if (!m->sleep_out &&
		    within_ms(now, m->sleep_in_at, VERSO_PANEL_SLEEP_WAIT_MS))
			return "sleep-out within 120 ms of sleep-in";
		if (!m->sleep_out)
			m->sleep_out_at = now;
		m->sleep_out = true;
		m->busy_until = ktime_add_ms(now, VERSO_PANEL_CMD_WAIT_MS);
		return NULL;
	case MIPI_DCS_SET_DISPLAY_OFF:
		m->display_on = false;
		return NULL;
	case MIPI_DCS_SET_DISPLAY_ON:
		if (!m->sleep_out)
			return "display-on while in sleep mode";
		if (within_ms(now, m->sleep_out_at, VERSO_PANEL_ON_WAIT_MS))
			return "display-on within 120 ms of sleep-out";
		m->display_on = true;
		return NULL;
	case MIPI_DCS_WRITE_MEMORY_START:
	case MIPI_DCS_WRITE_MEMORY_CONTINUE:
		if (!m->sleep_out)
			return "memory write while in sleep mode";
		return NULL;
	case MIPI_DCS_SET_TEAR_OFF:
		m->te = false;
		return NULL;
	case MIPI_DCS_SET_TEAR_ON:
		if (n != 2 || d[1] > 1)
			return "set_tear_on takes one parameter, 0 or 1";
		m->te = true;
		return NULL;
	case MIPI_DCS_EXIT_IDLE_MODE:
		m->idle = false;
		return NULL;
	case MIPI_DCS_ENTER_IDLE_MODE:
		m->idle = true;
		return NULL;
	case MIPI_DCS_SET_DISPLAY_BRIGHTNESS:
		bytes = fw ? fw->brightness_bytes : 2;
		max = fw ? fw->max_brightness : 0xffff;
		if (n - 1 != bytes) {
			snprintf(buf, len, "brightness with %zu bytes, the panel takes %u",
				 n - 1, bytes);
			return buf;
		}
		level = bytes == 2 ? d[1] << 8 | d[2] : d[1];
		if (level > max) {
			snprintf(buf, len, "brightness %u beyond the maximum %u",
				 level, max);
			return buf;
		}
		m->brightness = level;
		return NULL;
	case MIPI_DCS_NOP:
	case MIPI_DCS_ENTER_PARTIAL_MODE:
	case MIPI_DCS_ENTER_NORMAL_MODE:
	case MIPI_DCS_EXIT_INVERT_MODE:
	case MIPI_DCS_ENTER_INVERT_MODE:
	case MIPI_DCS_SET_GAMMA_CURVE:
	case MIPI_DCS_SET_COLUMN_ADDRESS:
	case MIPI_DCS_SET_PAGE_ADDRESS:
	case MIPI_DCS_SET_PARTIAL_ROWS:
	case MIPI_DCS_SET_PARTIAL_COLUMNS:
	case MIPI_DCS_SET_SCROLL_AREA:
	case MIPI_DCS_SET_ADDRESS_MODE:
	case MIPI_DCS_SET_SCROLL_START:
	case MIPI_DCS_SET_PIXEL_FORMAT:
	case MIPI_DCS_SET_TEAR_SCANLINE:
	case MIPI_DCS_WRITE_CONTROL_DISPLAY:
	case MIPI_DCS_WRITE_POWER_SAVE:
	case MIPI_DCS_SET_CABC_MIN_BRIGHTNESS:
		return NULL;
	default:
		/* 0xb0 and up: the manufacturer command set. */
		if (d[0] >= 0xb0)
			return NULL;
		snprintf(buf, len, "unknown DCS command 0x%02x", d[0]);
		return buf;
	}
}

/* Answers a DCS read from the model. */
static void verso_dsi_model_read(struct verso_dsi *vdsi, u8 cmd, u8 *rx,
				 size_t len)
{
	const struct verso_panel_model *m = &vdsi->model;
	u8 v[2] = { };

	switch (cmd) {
	case MIPI_DCS_GET_POWER_MODE:
		v[0] = (m->sleep_out ? BIT(7) | BIT(4) : 0) |
		       (m->idle ? BIT(6) : 0) | BIT(3) |
		       (m->display_on ? BIT(2) : 0);
		break;
	case MIPI_DCS_GET_SIGNAL_MODE:
		v[0] = m->te ? BIT(7) : 0;
		break;
	case MIPI_DCS_GET_DISPLAY_BRIGHTNESS:
		v[0] = m->brightness >> 8;
		v[1] = m->brightness & 0xff;
		break;
	}
	memset(rx, 0, len);
	memcpy(rx, v, min(len, sizeof(v)));
}

static ssize_t verso_dsi_handle(struct verso_dsi *vdsi,
				const struct mipi_dsi_msg *msg, bool injected)
{
	const u8 *tx = msg->tx_buf;
	struct verso_dcs_entry *e;
	const char *reject = NULL;
	ktime_t now = ktime_get();
	char buf[64];
	ssize_t ret;

	if (!msg->tx_len || !tx)
		return -EINVAL;

	mutex_lock(&vdsi->lock);

	if (ktime_before(now, vdsi->model.busy_until))
		reject = "command within 5 ms of sleep-out or soft reset";
	else if (verso_dsi_is_dcs(msg->type) && msg->type != MIPI_DSI_DCS_READ)
		reject = verso_dsi_model_dcs(vdsi, tx, msg->tx_len, now, buf,
					     sizeof(buf));

	if (reject) {
		ret = -EIO;
		vdsi->rejected++;
	} else if (msg->rx_len && msg->rx_buf) {
		if (msg->type == MIPI_DSI_DCS_READ)
			verso_dsi_model_read(vdsi, tx[0], msg->rx_buf,
					     msg->rx_len);
		else
			memset(msg->rx_buf, 0, msg->rx_len);
		ret = msg->rx_len;
	} else {
		ret = msg->tx_len;
	}
	vdsi->commands++;

	e = &vdsi->log[vdsi->log_head];
	vdsi->log_head = (vdsi->log_head + 1) % VERSO_DCS_LOG_LEN;
	vdsi->log_count = min(vdsi->log_count + 1, VERSO_DCS_LOG_LEN);
	e->t_us = ktime_to_us(now);
	e->type = msg->type;
	e->len = min_t(size_t, msg->tx_len, U8_MAX);
	memcpy(e->data, tx, min_t(size_t, msg->tx_len, sizeof(e->data)));
	e->injected = injected;
	e->sleep_out = vdsi->model.sleep_out;
	e->display_on = vdsi->model.display_on;
	e->idle = vdsi->model.idle;
	e->te = vdsi->model.te;
	e->brightness = vdsi->model.brightness;
	strscpy(e->reject, reject ? reject : "", sizeof(e->reject));

	mutex_unlock(&vdsi->lock);

	if (reject)
		drm_dbg_kms(&vdsi->pipe->vdev->drm,
			    "rear panel rejected DCS %*ph: %s\n",
			    (int)min_t(size_t, msg->tx_len, 8), tx, reject);

	return ret;
}

static ssize_t verso_dsi_transfer(struct mipi_dsi_host *host,
				  const struct mipi_dsi_msg *msg)
{
	return verso_dsi_handle(host_to_verso_dsi(host), msg, false);
}

static int verso_dsi_attach(struct mipi_dsi_host *host,
			    struct mipi_dsi_device *device)
{
	struct verso_dsi *vdsi = host_to_verso_dsi(host);

	drm_dbg_kms(&vdsi->pipe->vdev->drm,
		    "rear panel %s attached: %u lanes, format %d, flags %#lx\n",
		    device->name, device->lanes, device->format,
		    device->mode_flags);
	return 0;
}

static int verso_dsi_detach(struct mipi_dsi_host *host,
			    struct mipi_dsi_device *device)
{
	return 0;
}

static const struct mipi_dsi_host_ops verso_dsi_host_ops = {
	.attach		= verso_dsi_attach,
	.detach		= verso_dsi_detach,
	.transfer	= verso_dsi_transfer,
};

static void verso_dsi_idle_work(struct work_struct *work)
{
	struct verso_dsi *vdsi = container_of(to_delayed_work(work),
					      struct verso_dsi, idle_work);
	int ret;

	mutex_lock(&vdsi->idle_lock);
	if (vdsi->panel_on && !vdsi->idle) {
		ret = verso_rear_amoled_set_idle(vdsi->panel, true);
		if (!ret) {
			vdsi->idle = true;
			vdsi->idle_entered++;
		} else if (ret != -EOPNOTSUPP) {
			drm_warn(&vdsi->pipe->vdev->drm,
				 "rear panel: cannot enter idle mode: %d\n",
				 ret);
		}
	}
	mutex_unlock(&vdsi->idle_lock);
}

/**
 * verso_dsi_commit_begin - leave idle mode before a commit to the rear pipe
 * @pipe: the rear pipe
 */
void verso_dsi_commit_begin(struct verso_pipe *pipe)
{
	struct verso_dsi *vdsi = pipe->dsi;
	int ret;

	if (!vdsi || !vdsi->panel)
		return;

	cancel_delayed_work_sync(&vdsi->idle_work);

	mutex_lock(&vdsi->idle_lock);
	if (vdsi->idle) {
		ret = verso_rear_amoled_set_idle(vdsi->panel, false);
		if (ret)
			drm_warn(&pipe->vdev->drm,
				 "rear panel: cannot leave idle mode: %d\n",
				 ret);
		vdsi->idle = false;
		vdsi->idle_exited++;
	}
	mutex_unlock(&vdsi->idle_lock);
}

/**
 * verso_dsi_commit_end - count idle frames from the end of a commit
 * @pipe: the rear pipe
 * @mode: its mode, if it is active; NULL if it is off
 */
void verso_dsi_commit_end(struct verso_pipe *pipe,
			  const struct drm_display_mode *mode)
{
	struct verso_dsi *vdsi = pipe->dsi;
	unsigned int frames = READ_ONCE(verso_idle_frames);
	u64 frame_ns;

	if (!vdsi || !vdsi->panel || !mode || !frames || !mode->clock)
		return;

	frame_ns = div_u64((u64)mode->htotal * mode->vtotal * 1000000ULL,
			   mode->clock);
	mod_delayed_work(system_wq, &vdsi->idle_work,
			 nsecs_to_jiffies(frame_ns * frames) + 1);
}

/**
 * verso_dsi_panel_power - switch the rear panel on or off
 * @pipe: the rear pipe
 * @on: enable (prepare, enable) or disable (disable, unprepare)
 */
void verso_dsi_panel_power(struct verso_pipe *pipe, bool on)
{
	struct verso_dsi *vdsi = pipe->dsi;
	struct drm_device *drm = &pipe->vdev->drm;
	int ret;

	if (!vdsi || !vdsi->panel)
		return;

	if (!on)
		cancel_delayed_work_sync(&vdsi->idle_work);

	mutex_lock(&vdsi->idle_lock);
	if (on) {
		ret = drm_panel_prepare(vdsi->panel);
		if (!ret) {
			ret = drm_panel_enable(vdsi->panel);
			if (ret)
				drm_panel_unprepare(vdsi->panel);
		}
		if (ret)
			drm_err(drm, "rear panel: cannot switch on: %d\n", ret);
		vdsi->panel_on = !ret;
	} else if (vdsi->panel_on) {
		ret = drm_panel_disable(vdsi->panel);
		if (ret)
			drm_err(drm, "rear panel: cannot disable: %d\n", ret);
		drm_panel_unprepare(vdsi->panel);
		vdsi->panel_on = false;
	}
	vdsi->idle = false;
	mutex_unlock(&vdsi->idle_lock);
}

/* The rear panel, or NULL if no panel driver bound. */
struct drm_panel *verso_dsi_panel(struct verso_pipe *pipe)
{
	return pipe->dsi ? pipe->dsi->panel : NULL;
}

static int verso_dsi_log_show(struct seq_file *m, void *unused)
{
	struct verso_dsi *vdsi = m->private;
	const struct verso_dcs_entry *e;
	unsigned int i, first;

	mutex_lock(&vdsi->lock);
	first = (vdsi->log_head + VERSO_DCS_LOG_LEN - vdsi->log_count) %
		VERSO_DCS_LOG_LEN;
	for (i = 0; i < vdsi->log_count; i++) {
		e = &vdsi->log[(first + i) % VERSO_DCS_LOG_LEN];
		seq_printf(m, "t_us=%lld src=%s type=%s data=%*phC%s sleep=%s display=%s idle=%s te=%s brightness=%u ",
			   e->t_us, e->injected ? "debugfs" : "driver",
			   verso_dsi_type_name(e->type),
			   (int)min_t(u8, e->len, VERSO_DCS_LOG_BYTES),
			   e->data, e->len > VERSO_DCS_LOG_BYTES ? "..." : "",
			   e->sleep_out ? "out" : "in",
			   e->display_on ? "on" : "off",
			   e->idle ? "on" : "off", e->te ? "on" : "off",
			   e->brightness);
		if (e->reject[0])
			seq_printf(m, "rejected: %s\n", e->reject);
		else
			seq_puts(m, "ok\n");
	}
	mutex_unlock(&vdsi->lock);

	return 0;
}

static int verso_dsi_log_open(struct inode *inode, struct file *file)
{
	return single_open(file, verso_dsi_log_show, inode->i_private);
}

/* Any write clears the log. */
static ssize_t verso_dsi_log_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	struct verso_dsi *vdsi = file_inode(file)->i_private;

	mutex_lock(&vdsi->lock);
	vdsi->log_count = 0;
	vdsi->log_head = 0;
	mutex_unlock(&vdsi->lock);

	return len;
}

static const struct file_operations verso_dsi_log_fops = {
	.owner		= THIS_MODULE,
	.open		= verso_dsi_log_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.write		= verso_dsi_log_write,
	.release	= single_release,
};

static int verso_dsi_state_show(struct seq_file *m, void *unused)
{
	struct verso_dsi *vdsi = m->private;
	const struct verso_panel_model *pm = &vdsi->model;

	if (vdsi->panel)
		seq_printf(m, "panel: %s, firmware %s\n",
			   verso_rear_amoled_fw(vdsi->panel)->name,
			   verso_rear_amoled_fw_name(vdsi->panel));
	else
		seq_puts(m, "panel: none\n");

	mutex_lock(&vdsi->idle_lock);
	seq_printf(m, "power: %s\n", vdsi->panel_on ? "on" : "off");
	seq_printf(m, "idle: %s, entered %u times, exited %u times, idle_frames %u\n",
		   vdsi->idle ? "on" : "off", vdsi->idle_entered,
		   vdsi->idle_exited, READ_ONCE(verso_idle_frames));
	mutex_unlock(&vdsi->idle_lock);

	mutex_lock(&vdsi->lock);
	seq_printf(m, "sleep: %s\n", pm->sleep_out ? "out" : "in");
	seq_printf(m, "display: %s\n", pm->display_on ? "on" : "off");
	seq_printf(m, "idle_mode: %s\n", pm->idle ? "on" : "off");
	seq_printf(m, "te: %s\n", pm->te ? "on" : "off");
	seq_printf(m, "brightness: %u\n", pm->brightness);
	seq_printf(m, "commands: %lu, rejected: %lu\n", vdsi->commands,
		   vdsi->rejected);
	mutex_unlock(&vdsi->lock);

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(verso_dsi_state);

/*
 * Sends DCS bytes, written as hex ("29", "51 07 ff"), to the model as if
 * the panel driver had: a test of the model's rules. The write fails with
 * the model's error.
 */
static ssize_t verso_dsi_inject_write(struct file *file,
				      const char __user *ubuf, size_t len,
				      loff_t *ppos)
{
	struct verso_dsi *vdsi = file_inode(file)->i_private;
	struct mipi_dsi_msg msg = { };
	u8 data[VERSO_PANEL_FW_MAX_PAYLOAD];
	char kbuf[3 * VERSO_PANEL_FW_MAX_PAYLOAD + 1];
	char *p, *tok;
	size_t n = 0;
	ssize_t ret;

	if (len >= sizeof(kbuf))
		return -E2BIG;
	if (copy_from_user(kbuf, ubuf, len))
		return -EFAULT;
	kbuf[len] = '\0';

	p = kbuf;
	while ((tok = strsep(&p, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (n == ARRAY_SIZE(data) || kstrtou8(tok, 16, &data[n]))
			return -EINVAL;
		n++;
	}
	if (!n)
		return -EINVAL;

	msg.channel = 0;
	msg.type = n == 1 ? MIPI_DSI_DCS_SHORT_WRITE :
	       n == 2 ? MIPI_DSI_DCS_SHORT_WRITE_PARAM : MIPI_DSI_DCS_LONG_WRITE;
	msg.tx_buf = data;
	msg.tx_len = n;

	ret = verso_dsi_handle(vdsi, &msg, true);

	return ret < 0 ? ret : len;
}

static const struct file_operations verso_dsi_inject_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= verso_dsi_inject_write,
	.llseek	= noop_llseek,
};

void verso_dsi_debugfs_init(struct verso_pipe *pipe, struct dentry *root)
{
	struct verso_dsi *vdsi = pipe->dsi;

	if (!vdsi)
		return;

	debugfs_create_file("rear_dcs_log", 0644, root, vdsi,
			    &verso_dsi_log_fops);
	debugfs_create_file("rear_panel_state", 0444, root, vdsi,
			    &verso_dsi_state_fops);
	debugfs_create_file("rear_dcs_inject", 0200, root, vdsi,
			    &verso_dsi_inject_fops);
}

/* Modes and limits of the pipe's panel, from its firmware. */
static int verso_dsi_build_desc(struct verso_dsi *vdsi)
{
	struct drm_device *drm = &vdsi->pipe->vdev->drm;
	const struct verso_panel_fw *fw = verso_rear_amoled_fw(vdsi->panel);
	struct verso_panel_desc *desc = &vdsi->desc;
	struct drm_display_mode *modes;
	unsigned int i, hz, min_hz = UINT_MAX, max_hz = 0;

	modes = drmm_kcalloc(drm, fw->num_modes, sizeof(*modes), GFP_KERNEL);
	if (!modes)
		return -ENOMEM;

	/* The panel's own modes, as its get_modes reports them. */
	for (i = 0; i < fw->num_modes; i++) {
		struct drm_display_mode *mode = &modes[i];

		verso_rear_amoled_fw_mode(fw, i, mode);
		hz = drm_mode_vrefresh(mode);
		min_hz = min(min_hz, hz);
		max_hz = max(max_hz, hz);
	}

	desc->name = "rear";
	desc->modes = modes;
	desc->num_modes = fw->num_modes;
	desc->width_mm = fw->width_mm;
	desc->height_mm = fw->height_mm;
	/* Several rates: an LTPO panel, which can run anywhere in between. */
	if (min_hz && min_hz < max_hz) {
		desc->vrr_min_hz = min_hz;
		desc->vrr_max_hz = max_hz;
	}

	return 0;
}

static void verso_dsi_release(void *data)
{
	struct verso_dsi *vdsi = data;

	cancel_delayed_work_sync(&vdsi->idle_work);
	/*
	 * Remove the panel's device first, so that its driver detaches
	 * itself: mipi_dsi_host_unregister() would detach it behind the
	 * driver's back. The DRM device is unregistered by now, so the host
	 * device has no other children.
	 */
	if (vdsi->device)
		mipi_dsi_device_unregister(vdsi->device);
	mipi_dsi_host_unregister(&vdsi->host);
	vdsi->panel = NULL;
	vdsi->pipe->dsi = NULL;
}

/**
 * verso_dsi_init - create the rear pipe's DSI host and the panel's device
 * @pipe: the rear pipe
 *
 * Return: the panel's description, NULL if no panel driver bound (the
 * connector then stays disconnected), or an ERR_PTR().
 */
const struct verso_panel_desc *verso_dsi_init(struct verso_pipe *pipe)
{
	struct drm_device *drm = &pipe->vdev->drm;
	struct device *dev = drm->dev;
	struct mipi_dsi_device_info info = {
		.type = VERSO_REAR_AMOLED_NAME,
		.channel = 0,
	};
	struct mipi_dsi_device *device;
	struct verso_dsi *vdsi;
	int ret;

	vdsi = drmm_kzalloc(drm, sizeof(*vdsi), GFP_KERNEL);
	if (!vdsi)
		return ERR_PTR(-ENOMEM);

	vdsi->pipe = pipe;
	vdsi->host.dev = dev;
	vdsi->host.ops = &verso_dsi_host_ops;
	mutex_init(&vdsi->lock);
	mutex_init(&vdsi->idle_lock);
	INIT_DELAYED_WORK(&vdsi->idle_work, verso_dsi_idle_work);
	/* Power-up: the panel is asleep, as after a reset. */
	vdsi->model.sleep_in_at = ktime_get();

	ret = mipi_dsi_host_register(&vdsi->host);
	if (ret)
		return ERR_PTR(ret);

	pipe->dsi = vdsi;
	ret = devm_add_action_or_reset(dev, verso_dsi_release, vdsi);
	if (ret)
		return ERR_PTR(ret);

	/* The panel driver probes right here, if its firmware loads. */
	device = mipi_dsi_device_register_full(&vdsi->host, &info);
	if (IS_ERR(device))
		return ERR_CAST(device);
	vdsi->device = device;

	vdsi->panel = verso_rear_amoled_get_panel(device);
	if (!vdsi->panel) {
		drm_warn(drm, "rear panel: no driver bound to %s, %s stays disconnected\n",
			 dev_name(&device->dev), VERSO_REAR_CONNECTOR);
		return NULL;
	}

	ret = verso_dsi_build_desc(vdsi);
	if (ret)
		return ERR_PTR(ret);

	return &vdsi->desc;
}
