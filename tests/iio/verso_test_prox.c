// SPDX-License-Identifier: GPL-2.0-only
/*
 * verso_test_prox: a proximity sensor for tests, with no hardware behind it.
 *
 * It registers one IIO device with an in_proximity_raw channel, the shape of
 * a real phone proximity sensor as iio-sensor-proxy finds it (udev tags it
 * iio-poll-proximity) and polls it. The reading is the module parameter
 * "raw", which a test writes in /sys/module/verso_test_prox/parameters/raw;
 * in_proximity_nearlevel tells iio-sensor-proxy where "near" starts. The
 * parameter "reads" counts the reads of in_proximity_raw, so a test can see
 * whether anyone still polls the sensor.
 */

#include <linux/iio/iio.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>

#define VERSO_TEST_PROX_NAME "verso-test-prox"

static int raw;
module_param(raw, int, 0644);
MODULE_PARM_DESC(raw, "Proximity reading: higher is nearer (default 0, far)");

static int near_level = 100;
module_param(near_level, int, 0444);
MODULE_PARM_DESC(near_level, "Reading above which an object is near (default 100)");

static unsigned int reads;
module_param(reads, uint, 0444);
MODULE_PARM_DESC(reads, "Reads of in_proximity_raw so far");

static DEFINE_MUTEX(reads_lock);
static struct platform_device *verso_test_prox_pdev;

static int verso_test_prox_read_raw(struct iio_dev *indio_dev,
				    struct iio_chan_spec const *chan,
				    int *val, int *val2, long mask)
{
	if (mask != IIO_CHAN_INFO_RAW)
		return -EINVAL;

	mutex_lock(&reads_lock);
	reads++;
	mutex_unlock(&reads_lock);
	*val = READ_ONCE(raw);
	return IIO_VAL_INT;
}

static ssize_t verso_test_prox_read_near_level(struct iio_dev *indio_dev,
					       uintptr_t priv,
					       const struct iio_chan_spec *chan,
					       char *buf)
{
	return sysfs_emit(buf, "%d\n", near_level);
}

static const struct iio_chan_spec_ext_info verso_test_prox_ext_info[] = {
	{
		.name = "nearlevel",
		.shared = IIO_SEPARATE,
		.read = verso_test_prox_read_near_level,
	},
	{ }
};

static const struct iio_chan_spec verso_test_prox_channels[] = {
	{
		.type = IIO_PROXIMITY,
		.info_mask_separate = BIT(IIO_CHAN_INFO_RAW),
		.ext_info = verso_test_prox_ext_info,
	},
};

static const struct iio_info verso_test_prox_info = {
	.read_raw = verso_test_prox_read_raw,
};

static int verso_test_prox_probe(struct platform_device *pdev)
{
	struct iio_dev *indio_dev;

	indio_dev = devm_iio_device_alloc(&pdev->dev, 0);
	if (!indio_dev)
		return -ENOMEM;

	indio_dev->name = VERSO_TEST_PROX_NAME;
	indio_dev->info = &verso_test_prox_info;
	indio_dev->channels = verso_test_prox_channels;
	indio_dev->num_channels = ARRAY_SIZE(verso_test_prox_channels);
	indio_dev->modes = INDIO_DIRECT_MODE;

	return devm_iio_device_register(&pdev->dev, indio_dev);
}

static struct platform_driver verso_test_prox_driver = {
	.probe = verso_test_prox_probe,
	.driver = {
		.name = VERSO_TEST_PROX_NAME,
	},
};

static int __init verso_test_prox_init(void)
{
	int ret;

	ret = platform_driver_register(&verso_test_prox_driver);
	if (ret)
		return ret;

	verso_test_prox_pdev =
		platform_device_register_simple(VERSO_TEST_PROX_NAME,
						PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(verso_test_prox_pdev)) {
		platform_driver_unregister(&verso_test_prox_driver);
		return PTR_ERR(verso_test_prox_pdev);
	}
	return 0;
}
module_init(verso_test_prox_init);

static void __exit verso_test_prox_exit(void)
{
	platform_device_unregister(verso_test_prox_pdev);
	platform_driver_unregister(&verso_test_prox_driver);
}
module_exit(verso_test_prox_exit);

MODULE_DESCRIPTION("Test-only IIO proximity sensor for verso's VM tests");
MODULE_LICENSE("GPL");
