# Workers, their contracts and their hours.

## contract
contract-insertion = Insertion (CDDI)
contract-permanent = CDI
contract-fixed_term = CDD
contract-apprentice = Apprentissage
contract-intern = Stage
contract-civic_service = Service civique
contract-volunteer = Bénévolat

## exit
exit-durable_employment = Emploi durable
exit-transitional_employment = Emploi de transition
exit-positive_exit = Sortie positive
exit-other_exit = Autre sortie
exit-withdrawn = Retrait des sorties constatées

## activity
activity-intake = Accueil des dons
activity-erasure = Effacement
activity-repair = Réparation
activity-install = Installation
activity-qc = Contrôle qualité
activity-logistics = Logistique
activity-training = Formation
activity-other = Autre

## worker
worker-passport = Passeport de compétences (PDF)
worker-list_title = Équipe
worker-new = Nouvelle personne
worker-name = Nom (effaçable)
worker-contract = Contrat
worker-started_on = Début
worker-ended_on = Fin
worker-exit = Sortie
worker-weekly_hours = Heures par semaine
worker-create = Enregistrer
worker-end = Fin de contrat
worker-save = Enregistrer
worker-erase = Effacer le nom
worker-erase_confirm = Le nom sera effacé définitivement ; le contrat, les heures et les opérations restent sous la référence.
worker-hidden = Nom enregistré (visible des coordinateurs de l’atelier).
worker-erased = Aucun nom enregistré.
worker-none = Personne dans l’équipe.
worker-timesheets = Heures

## timesheet
timesheet-title = Heures de la semaine
timesheet-week_of = Semaine du
timesheet-previous = Semaine précédente
timesheet-next = Semaine suivante
timesheet-worker = Personne
timesheet-activity = Activité
timesheet-record = Enregistrer les heures
timesheet-recorded = Déjà enregistré
timesheet-total = Total
timesheet-import_title = Importer un tableau d’heures
timesheet-file = Fichier CSV (colonnes : personne, date, heures, activité)
timesheet-dry_run = Vérifier seulement (rien n’est enregistré)
timesheet-import = Importer
timesheet-checked = Vérification réussie : lignes qui seraient enregistrées :
timesheet-imported = Lignes enregistrées :
timesheet-another_activity = autre activité le même jour
