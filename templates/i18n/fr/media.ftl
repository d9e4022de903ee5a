# Storage media: kinds, states and steps.

## medium_kind
medium_kind-hdd = Disque dur
medium_kind-ssd = SSD
medium_kind-nvme = SSD NVMe
medium_kind-emmc = eMMC
medium_kind-sd_card = Carte SD
medium_kind-usb_drive = Clé USB
medium_kind-other = Support

## medium_state
medium_state-present = Présent
medium_state-removed = Retiré
medium_state-sanitized = Effacé
medium_state-sanitization_failed = Effacement échoué
medium_state-destroyed = Détruit

## medium_action
medium_action-remove = Retirer
medium_action-reinstall = Remettre en place
medium_action-record_erasure = Enregistrer un effacement
medium_action-destroy = Détruire
medium_action-device_returned = Appareil revenu

## medium
medium-in_device = Dans l’appareil
