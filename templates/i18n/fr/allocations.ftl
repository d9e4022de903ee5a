# Beneficiaries, allocations and the stock they are made from.

## allocation_state
allocation_state-reserved = Réservée
allocation_state-delivered = Remise
allocation_state-released = Libérée
allocation_state-returned = Retournée

## allocation_action
allocation_action-deliver = remise
allocation_action-release = libérée
allocation_action-return = retournée
allocation_action-accept = signée
allocation_action-complain = objet d’une réclamation

## category
category-job_seeker = Demandeur d’emploi
category-student = Étudiant
category-senior = Senior
category-low_income = Faibles revenus
category-individual_other = Particulier (autre)
category-association = Association
category-school = École
category-library = Bibliothèque
category-organisation_other = Organisation (autre)

## return_reason
return_reason-warranty_fault = Panne sous garantie
return_reason-end_of_life = Fin de vie (reprise pour recyclage)
return_reason-no_longer_needed = Plus utile
return_reason-other = Autre

## acceptance
acceptance-pending = Non signée
acceptance-signed_on_device = Signée à l’écran
acceptance-signed_on_paper = Signée sur papier

## stock
stock-title = Stock prêt à donner
stock-kind = Type
stock-grade = État
stock-site = Atelier
stock-min_ram = RAM minimum (Go)
stock-search = Modèle, processeur, système
stock-filter = Filtrer
stock-any = Tous
stock-total = appareils prêts
stock-allocate = Attribuer
stock-none = Aucun appareil prêt ne correspond.
stock-ungraded = non noté

## beneficiary
beneficiary-search = Référence, partenaire ou nom
beneficiary-list_title = Bénéficiaires
beneficiary-new = Nouveau bénéficiaire
beneficiary-category = Catégorie
beneficiary-postcode = Code postal
beneficiary-partner = Orienté par (partenaire)
beneficiary-personal = Nom et contact (facultatif, effaçables)
beneficiary-name = Nom
beneficiary-email = E-mail
beneficiary-phone = Téléphone
beneficiary-create = Enregistrer
beneficiary-reference = Référence
beneficiary-erase = Effacer le nom et le contact
beneficiary-erase_confirm = Le nom, le contact et les signatures seront effacés définitivement ; les attributions restent.
beneficiary-erased = Aucun nom ni contact enregistré.
beneficiary-hidden = Nom et contact enregistrés (visibles des coordinateurs de l’atelier).
beneficiary-allocations = Attributions
beneficiary-none = Aucun bénéficiaire.

## allocation
allocation-list_title = Attributions
allocation-new = Attribuer un appareil
allocation-device = Appareil
allocation-beneficiary = Bénéficiaire
allocation-conditions = Conditions
allocation-free = Don gratuit
allocation-solidarity_price = Prix solidaire
allocation-price = Prix (€)
allocation-loan = Prêt
allocation-loan_until = Jusqu’au
allocation-warranty = Garantie (mois)
allocation-reserve = Réserver
allocation-state = État
allocation-handover = Fiche de remise (PDF)
allocation-sign = Signature du bénéficiaire
allocation-sign_help = Signez avec le doigt dans le cadre.
allocation-clear = Effacer
allocation-save_signature = Enregistrer la signature
allocation-signed_on_paper = Signée sur la fiche papier
allocation-acceptance = Acceptation
allocation-deliver = Remettre l’appareil
allocation-release = Annuler la réservation
allocation-return = Enregistrer un retour
allocation-reason = Motif
allocation-fault = Description de la panne
allocation-warranty_until = Garantie jusqu’au
allocation-returned = Retour
allocation-days = jours après la remise
allocation-complaints = Réclamations
allocation-complaint_received = Reçue le
allocation-complaint_text = Réclamation
allocation-log_complaint = Enregistrer la réclamation
allocation-answer_due = réponse attendue avant le
allocation-answer = Réponse
allocation-answered_on = Répondu le
allocation-send_answer = Enregistrer la réponse
allocation-none = Aucune attribution.
allocation-quality = Taux de non-conformité de l’année (retours sous garantie / remises)
allocation-unsigned_warning = La fiche de remise n’est pas signée : faites-la signer ci-dessus (ou notez qu’elle l’a été sur papier) avant de remettre l’appareil.
allocation-unsigned_confirm = Remettre quand même, sans signature
allocation-new_beneficiary = + Une personne pas encore enregistrée (décrite ci-dessous)
allocation-new_beneficiary_details = Nouveau bénéficiaire…
allocation-pad_needs_script = Signer à l’écran demande JavaScript, désactivé ici : faites signer la fiche imprimée, puis indiquez-le ci-dessous.
