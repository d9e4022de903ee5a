# Donors and the lots they give, and the import of their asset lists.

## donor_kind
donor_kind-company = Entreprise
donor_kind-public_body = Organisme public
donor_kind-association = Association
donor_kind-individual = Particulier

## donor
donor-list_title = Donateurs
donor-search = Nom ou SIRET
donor-none = Aucun donateur trouvé.
donor-new = Nouveau donateur
donor-create = Enregistrer le donateur
donor-name = Nom
donor-kind = Type de donateur
donor-siret = SIRET
donor-siret_help = 14 chiffres, les espaces sont acceptés.
donor-address = Adresse
donor-contact = Personne à contacter
donor-contact_name = Nom du contact
donor-contact_email = Courriel du contact
donor-contact_phone = Téléphone du contact
donor-lots = Dons
donor-statements = Certificats et attestations
donor-no_statements = Aucun certificat émis.
donor-edit = Corriger…
donor-save = Enregistrer les corrections
donor-erase = Effacer les données personnelles…
donor-erase_help = Le contact (et, pour un particulier, son nom et son adresse) est effacé partout ; les dons et les certificats restent.
donor-erase_confirm = Effacer définitivement

## lot
lot-new = Nouveau don
lot-no_donor = Enregistrez d’abord le donateur.
lot-donor = Donateur
lot-donor_missing = Le donateur n’est pas dans la liste ?
lot-received_on = Reçu le
lot-reference = Référence du donateur
lot-declared_count = Nombre d’appareils annoncé
lot-weight_kg = Poids (kg)
lot-notes = Notes
lot-create = Enregistrer le don
lot-print_new = Imprimer les étiquettes des nouveaux appareils
lot-issue_donor = Émettre le certificat de don
lot-erasure_for = Certificat d’effacement pour
lot-list_title = Dons reçus
lot-none = Aucun don enregistré.
lot-received = Reçu le
lot-declared = annoncés :
lot-import_title = Importer la liste du donateur
lot-file = Fichier CSV (GLPI, Snipe-IT, tableur)
lot-dry_run = Vérifier seulement (rien n’est enregistré)
lot-import = Importer
lot-import_refused = Rien n’a été importé : corrigez ces lignes.
lot-dry_run_ok = Vérification réussie : appareils qui seraient créés :
lot-imported = Appareils créés :
lot-no_file = choisissez un fichier
lot-labels = Imprimer les étiquettes
lot-format = Support
lot-skip = Étiquettes déjà utilisées sur la première planche
lot-include_media = Étiquettes des supports de stockage aussi
lot-print = Imprimer
lot-devices = Appareils

## import_issue
import_issue-unreadable = illisible : { $reason }
import_issue-empty = le fichier est vide
import_issue-no_columns = aucune colonne de numéros de série ni de modèles : la première ligne doit nommer les colonnes (par exemple « Numéro de série », « Serial », « Modèle », « Type »)
import_issue-no_kind_column = aucune colonne pour le type d’appareil (« Type », « Catégorie », « Category »)
import_issue-too_many_rows = plus de { $max } appareils : découpez la liste
import_issue-unknown_kind = type « { $word } » inconnu : portable, ordinateur fixe, tout-en-un, écran, tablette, smartphone, serveur, imprimante ou autre
import_issue-no_kind = type d’appareil non renseigné
import_issue-no_serial = pas de numéro de série : l’appareil sera importé sans
import_issue-too_long = plus de { $max } caractères
import_issue-repeated_serial = { $serial } figure déjà ligne { $first_line }
import_issue-already_in_lot = déjà dans ce don, étiquette { $asset_tag }
import_issue-only_header = aucun appareil dans le fichier, seulement la ligne des noms de colonnes
