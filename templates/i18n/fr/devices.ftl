# Devices: their kinds, states and steps, their pages, the scan page, refurbishing work.

## kind
kind-laptop = Portable
kind-desktop = Ordinateur fixe
kind-all_in_one = Tout-en-un
kind-monitor = Écran
kind-tablet = Tablette
kind-smartphone = Smartphone
kind-server = Serveur
kind-printer = Imprimante
kind-other = Autre

## state
state-received = Reçu
state-inventoried = Inventorié
state-erasing = En effacement
state-sanitized = Effacé
state-refurbishing = En reconditionnement
state-software_installed = Système installé
state-ready = Prêt
state-reserved = Réservé
state-delivered = Remis
state-dismantled = Démantelé
state-recycled = Recyclé
state-lost = Perdu

## action
action-audit = Inventorier
action-start_erasure = Commencer l’effacement
action-sanitize_not_applicable = Aucun support à effacer
action-start_refurbish = Commencer le reconditionnement
action-install_os = Système installé
action-pass_qc = Contrôle qualité réussi
action-reserve = Réserver
action-release = Libérer
action-deliver = Remettre
action-return = Retour
action-dismantle = Démanteler
action-recycle = Recycler
action-declare_lost = Déclarer perdu
action-correct = Corriger

## event
event-device-registered = Enregistré
event-device-updated = Fiche modifiée
event-medium-added = Support de stockage ajouté
event-medium-transitioned = Support de stockage : changement d’état
event-medium-updated = Support de stockage modifié
event-erasure-recorded = Effacement enregistré
event-device-work_recorded = Travail enregistré
event-allocation-reserved = Réservé pour un bénéficiaire
event-allocation-delivered = Remis au bénéficiaire
event-allocation-released = Réservation annulée
event-allocation-returned = Rapporté par le bénéficiaire
event-allocation-accepted = Fiche de remise signée
event-complaint-logged = Réclamation reçue
event-complaint-answered = Réclamation : réponse envoyée
event-certificate-issued = Certificat émis

## device
device-next = Étapes suivantes
device-details = Détails
device-serial = Numéro de série
device-donor_asset = N° d’inventaire du donateur
device-os = Système
device-media = Supports de stockage
device-no_media = Aucun support de stockage enregistré.
device-history = Historique
device-checklist = Contrôle qualité
device-note = Note
device-reason = Motif du retour
device-end_of_life = Fin de vie…
device-print = Imprimer
device-print_label = Réimprimer l’étiquette

## devices
devices-title = Appareils
devices-search = Étiquette, numéro de série ou modèle
devices-state = État
devices-kind = Type
devices-any = Tous
devices-count = Appareils listés : { $n }.
devices-more = D’autres correspondent : précisez la recherche.

## scan
scan-title = Scanner une étiquette
scan-mode = Mode
scan-open = Ouvrir la fiche
scan-batch = En série
scan-code = Étiquette, URL ou numéro de série
scan-submit = Valider
scan-camera = Utiliser la caméra
scan-did_you_mean = Vouliez-vous dire :
scan-results = Scans de la série
scan-not_a_device = ce n’est pas un appareil

## qc
qc-boot = Démarre
qc-keyboard = Clavier
qc-screen = Écran
qc-battery = Batterie
qc-network = Réseau
qc-os = Système

## work
work-title = Travaux
work-repair = Réparation
work-description = Description
work-part = Pièce remplacée
work-harvested = Pièce récupérée (facultatif)
work-grade = État esthétique
work-battery = Santé de la batterie (%)
work-os = Système installé
work-distribution = Distribution
work-version = Version
work-image = Image
work-record = Enregistrer
work-dismantle = Démanteler
work-parts = Pièces gardées (une par ligne)
