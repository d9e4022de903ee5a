# Storage media: kinds, states and steps.

## medium_kind
medium_kind-hdd = Hard disk
medium_kind-ssd = SSD
medium_kind-nvme = NVMe SSD
medium_kind-emmc = eMMC
medium_kind-sd_card = SD card
medium_kind-usb_drive = USB drive
medium_kind-other = Medium

## medium_state
medium_state-present = Present
medium_state-removed = Removed
medium_state-sanitized = Sanitized
medium_state-sanitization_failed = Erasure failed
medium_state-destroyed = Destroyed

## medium_action
medium_action-remove = Remove
medium_action-reinstall = Reinstall
medium_action-record_erasure = Record an erasure
medium_action-destroy = Destroy
medium_action-device_returned = Device returned

## medium
medium-in_device = In device
