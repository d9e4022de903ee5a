# The frame of every page: navigation, sign-in, errors and refusals, field labels, accounts, the dashboard.

## nav
nav-home = Accueil
nav-devices = Appareils
nav-donors = Donateurs
nav-users = Comptes
nav-skip = Aller au contenu
nav-menu = Menu
nav-label = Navigation principale
nav-reports = Rapport
nav-team = Équipe
nav-hours = Heures
nav-stock = Stock
nav-beneficiaries = Bénéficiaires
nav-allocations = Attributions
nav-shipments = Déchets
nav-scan = Scanner
nav-lots = Dons
nav-audits = Inventaires
nav-account = Mon compte
nav-logout = Se déconnecter
nav-back_to_scan = Retour au scan

## login
login-title = Connexion
login-email = Adresse e-mail
login-password = Mot de passe
login-submit = Se connecter
login-wrong = Adresse e-mail ou mot de passe incorrect.
login-too_many = Trop d’essais : patientez avant de réessayer
login-expired = Le formulaire a expiré : réessayez.

## error
error-not_found_detail = Cette page n’existe pas, ou vous n’y avez pas accès. Vérifiez l’adresse ou le numéro.
error-method_detail = Cette adresse ne s’ouvre pas ainsi : c’est l’action d’un bouton. Revenez à la page d’où elle part.
error-bad_request_detail = L’adresse ou le formulaire contient une valeur que Retrace ne comprend pas. Revenez en arrière et corrigez-la.
error-too_large_detail = Le fichier envoyé est trop gros.
error-too_many_detail = Trop de tentatives : patientez un peu avant de réessayer.
error-server_detail = Retrace n’a pas pu répondre. Rien n’a été enregistré ; réessayez, et prévenez l’administration si cela continue.
error-home = Retour à l’accueil
error-not_found = Introuvable
error-forbidden = Non autorisé
error-conflict = Impossible pour l’instant
error-invalid = Demande invalide
error-server = Erreur du serveur
error-expired_form = Le formulaire a expiré : rechargez la page.

## problem
problem-allocation_state = Une attribution « { $state } » ne peut pas être « { $action } ».
problem-reserved_for_another = Cet appareil est réservé pour un autre bénéficiaire ({ $reference }).
problem-already_accepted = La fiche de remise est déjà signée.
problem-already_shipped = { $tag } est déjà parti dans un envoi de déchets.
problem-medium_not_sanitized_to_ship = Le support de stockage { $tag } est « { $state } » : effacez-le ou détruisez-le d’abord.
problem-validation = À compléter ou corriger : { $fields }.
problem-unknown_code = Aucun appareil ni support de vos ateliers ne porte l’étiquette ou le numéro de série « { $code } ».
problem-mistyped_tag = « { $code } » n’est pas une étiquette valide : un caractère a sans doute été mal tapé, ou deux inversés.
problem-transition_not_allowed = « { $action } » est impossible pour un appareil à l’état « { $state } ».
problem-terminal_state = L’appareil est à l’état « { $state } » : son parcours est terminé, seul un administrateur peut encore le corriger.
problem-media_not_sanitized = Effacez ou détruisez d’abord ces supports de stockage : { $tags }.
problem-not_past_erasure = Ces appareils doivent d’abord être effacés : { $tags }.
problem-device_has_media =
    Cet appareil a { $count ->
        [one] { $count } support de stockage enregistré : il faut l’effacer
       *[other] { $count } supports de stockage enregistrés : il faut les effacer
    }, pas sauter l’effacement.
problem-not_found = Introuvable, ou dans un atelier qui ne vous est pas ouvert.
problem-stale_version = L’appareil a changé depuis l’ouverture de cette page : rechargez-la, puis recommencez.
problem-forbidden = Votre rôle ne permet pas cette action.
problem-unauthenticated = Reconnectez-vous pour continuer.
problem-too_many_attempts = Trop d’échecs de connexion pour ce compte : réessayez dans { $seconds } s.
problem-medium_transition_not_allowed = « { $action } » est impossible pour un support de stockage à l’état « { $state } ».
problem-medium_not_sanitized = Un support de stockage ne retourne dans un appareil qu’une fois effacé ; celui-ci est « { $state } ».
problem-medium_not_in_device = Ce support de stockage n’est dans aucun appareil.
problem-medium_in_device = Retirez d’abord ce support de stockage de son appareil.
problem-verification_only = « { $method } » ne fait que relire les disques : rien n’est effacé, rien n’a été enregistré.
problem-site_code_taken = Le code d’atelier { $code } est déjà pris.
problem-email_taken = Un compte existe déjà avec l’adresse { $email }.
problem-serial_taken = { $tag } porte déjà le numéro de série { $serial }.
problem-device_closed = L’appareil { $tag } est à l’état « { $state } » : il ne prend plus de support de stockage ni d’inventaire.
problem-medium_destroyed = Le support de stockage { $tag } est détruit : il n’y a plus rien à effacer.
problem-log_already_imported = Ce journal a déjà été importé.
problem-already_issued = Le certificat { $number } a déjà été émis : pour le corriger, émettez-en une révision.
problem-audit_open = Un inventaire de cet atelier est encore ouvert : clôturez-le d’abord.
problem-audit_closed = Cet inventaire est clôturé : commencez-en un nouveau.
problem-records_moved = Les données ont changé pendant la préparation du document : recommencez.
problem-asset_list_invalid =
    Le fichier a { $count ->
        [one] { $count } problème
       *[other] { $count } problèmes
    } à corriger d’abord : rien n’a été importé.

## field
field-from = Du
field-recycler = Recycleur
field-entries = Ligne
field-hours = Heures
field-expires_on = Date de fin
field-transporter = Transporteur
field-eco_organism = Éco-organisme
field-tags = Étiquettes
field-year = Année
field-to = Au
field-body = Contenu
field-q = Recherche
field-lot_id = Don
field-medium = Support
field-capacity_bytes = Capacité
field-state = État
field-started_on = Début
field-ended_on = Fin
field-weekly_hours = Heures par semaine
field-postcode = Code postal
field-email = Courriel
field-display_name = Nom
field-role = Rôle
field-locale = Langue
field-new_password = Nouveau mot de passe
field-password = Mot de passe
field-expires_in_days = Durée (jours)
field-language = Langue
field-disabled = Compte désactivé
field-name = Nom
field-siret = SIRET
field-address = Adresse
field-contact_name = Nom du contact
field-contact_email = Courriel du contact
field-contact_phone = Téléphone du contact
field-donor_id = Donateur
field-site_id = Site
field-received_on = Reçu le
field-donor_reference = Référence du donateur
field-declared_count = Nombre d’appareils annoncé
field-weight_kg = Poids (kg)
field-device_id = Appareil
field-medium_id = Support
field-technique = Technique
field-category = Catégorie
field-passes = Passes
field-destination = Destination
field-capacity_gb = Capacité (Go)
field-outcome = Résultat
field-verification_result = Résultat de la vérification
field-verification = Vérification
field-proposed = Disque du journal
field-method = Méthode
field-tool = Outil
field-tool_version = Version de l’outil
field-witness = Témoin
field-photo_reference = Référence de la photo
field-notes = Notes
field-errors = Erreurs constatées
field-validator_id = Validateur
field-note = Note
field-os = Système
field-checklist = Contrôle qualité
field-target_state = État visé
field-reason = Motif
field-code = Étiquette
field-serial_number = Numéro de série
field-kind = Type
field-manufacturer = Fabricant
field-model = Modèle
field-donor_asset_number = N° d’inventaire
field-file = Fichier
field-skip = Étiquettes déjà utilisées sur la première planche
field-format = Support
field-confirm_unsigned = Remettre sans signature

## public
public-refurbished_by = Cet appareil a été reconditionné par
public-help = Pour toute aide, contactez l’atelier en donnant le numéro ci-dessus.
public-staff = Connexion équipe

## account
account-language = Langue
account-language_save = Enregistrer la langue
account-tokens = Jetons d’API
account-tokens_help = Pour un poste d’effacement ou un script : un jeton ouvre l’API en votre nom, jusqu’à sa date de fin ou sa révocation.
account-token_once = Copiez ce jeton maintenant : il ne sera plus jamais affiché.
account-token_name = Nom du jeton
account-token_example = poste d’effacement 2
account-token_days = Durée (jours)
account-token_create = Créer le jeton
account-token_created = créé le
account-token_expires = valable jusqu’au
account-token_revoked = révoqué ou expiré
account-token_revoke = Révoquer
account-title = Mon compte
account-name = Nom
account-role = Rôle
account-role_admin = Administration du réseau
account-role_coordinator = Coordination
account-role_technician = Technicien·ne
account-role_viewer = Lecture
account-password = Changer de mot de passe
account-current = Mot de passe actuel
account-new = Nouveau mot de passe (10 caractères au moins)
account-submit = Changer le mot de passe
account-signs_out = Toutes vos sessions se ferment : reconnectez-vous ensuite avec le nouveau mot de passe.
account-wrong = Le mot de passe actuel n’est pas celui-ci.
account-too_short = Le nouveau mot de passe doit compter 10 caractères au moins.

## users
users-title = Comptes
users-role = Rôle
users-site = Atelier
users-no_site = Tout le réseau
users-disabled = désactivé
users-invite = Inviter une personne
users-invite_help = Le compte est créé avec un premier mot de passe que vous lui transmettez ; elle le change depuis « Mon compte ».
users-first_password = Premier mot de passe (10 caractères au moins)
users-create = Créer le compte
users-edit = Modifier le compte
users-disable = Compte désactivé (plus de connexion)
users-save = Enregistrer
users-reset = Définir un nouveau mot de passe…
users-reset_save = Définir le mot de passe
users-erase = Effacer les données personnelles…
users-erase_help = Le nom et le courriel sont effacés partout ; le compte reste, désactivé, sous sa référence, avec les opérations qu’il a faites.

## dashboard
dashboard-title = Aujourd’hui
dashboard-hello = Bonjour { $name }.
dashboard-scan = Scanner une étiquette
dashboard-bench = À l’atelier
dashboard-to_inventory = à inventorier
dashboard-to_erase = supports à effacer
dashboard-failed = effacements échoués
dashboard-to_check = en attente du contrôle qualité
dashboard-failed_list = Supports à effacer de nouveau ou à détruire
dashboard-desk = Au bureau
dashboard-reserved = réservés, à remettre
dashboard-complaints = réclamations à traiter
dashboard-lots = dons à étiqueter et inventorier
dashboard-to_ship = démantelés, à envoyer au recyclage
dashboard-complaints_list = Réclamations : réponse due
dashboard-late = En retard, due le
dashboard-due = Due le
dashboard-lots_list = Dons à étiqueter et inventorier
dashboard-received_count = à inventorier : { $n }
