# The impact report, the donor portal and impact statements.

## report
report-compared = comparé à
report-title = Rapport d’impact
report-network = Tout le réseau
report-collected = Appareils collectés
report-reused = Appareils réemployés (remis)
report-recycled = Appareils recyclés
report-dismantled = Appareils démantelés
report-lost = Appareils perdus
report-in_stock = En stock en fin de période
report-kg_collected = kg collectés
report-kg_reused = kg réemployés
report-kg_recycled = kg recyclés
report-co2e = kg CO2e évités
report-individuals = Personnes équipées
report-organisations = Structures équipées
report-hours = Heures travaillées
report-fte = ETP
report-jobs_created = Emplois créés (entrées)
report-dynamic_exits = Sorties dynamiques
report-training_hours = Heures de formation
report-median_days = Jours médians de l’entrée à la remise
report-non_conformity = Taux de non-conformité
report-chart_devices = Devenir des appareils
report-chart_beneficiaries = Bénéficiaires par catégorie
report-chart_workers = Équipe par contrat
report-by_departement = Bénéficiaires par département
report-co2e_source = CO2e évité : facteurs ADEME / Arcep (2022, fabrication et distribution) ; les types sans facteur ne sont pas estimés, jamais comptés à zéro.

## portal
portal-links = Portail donateur
portal-links_help = Un lien secret, sans compte, par lequel le donateur suit ses appareils et télécharge les certificats. Révocable à tout moment.
portal-issued = Lien créé. Copiez-le maintenant : il ne sera plus affiché.
portal-label = Pour qui (facultatif)
portal-expires_on = Dernier jour (facultatif)
portal-create = Créer un lien
portal-revoke = Révoquer
portal-until = jusqu’au
portal-openings =
    { $n ->
        [one] ouverture
       *[other] ouvertures
    }
portal-status_active = actif
portal-status_expired = expiré
portal-status_revoked = révoqué
portal-title = Le devenir de votre don
portal-intro = Suivez ici ce que deviennent les appareils que vous avez donnés : effacement des données, reconditionnement, réemploi. Aucune donnée personnelle n’est affichée.
portal-received_on = Don reçu le
portal-reference = votre référence
portal-progress = Où en sont vos appareils
portal-stage_received =
    { $n ->
        [one] reçu, en attente d’effacement
       *[other] reçus, en attente d’effacement
    }
portal-stage_erased =
    { $n ->
        [one] effacé
       *[other] effacés
    }
portal-stage_refurbished =
    { $n ->
        [one] reconditionné
       *[other] reconditionnés
    }
portal-stage_reused =
    { $n ->
        [one] réemployé
       *[other] réemployés
    }
portal-stage_recycled =
    { $n ->
        [one] recyclé
       *[other] recyclés
    }
portal-stage_lost =
    { $n ->
        [one] perdu
       *[other] perdus
    }
portal-certificates = Certificats
portal-no_certificate = Aucun certificat n’est encore émis pour ce don.
portal-download = Télécharger
portal-verify = vérifier
portal-certificate_donor = le certificat de don
portal-certificate_erasure = le certificat d’effacement
portal-certificate_impact_statement = l’attestation d’impact
portal-devices = Vos appareils
portal-erased = données effacées le
portal-reconciliation = Rapprochement pour votre inventaire (CSV)
portal-reconciliation_help = Une ligne par appareil : numéro d’inventaire, devenir et date, effacement, certificat et son lien de vérification — de quoi sortir chaque actif de votre inventaire avec sa preuve.
portal-not_erased = effacement à venir
portal-search = Chercher un appareil (étiquette, numéro de série, votre n° d’inventaire)
portal-stage = Où en est-il
portal-show_all = Voir tous les appareils

## statement
statement-device = équipement
statement-devices = équipements
statement-section = Certificats et attestations d’impact
statement-section_help = L’attestation d’impact dit au donateur ce que son don est devenu — réemploi, recyclage, CO2e évité, heures d’insertion — pour son reporting RSE / CSRD. Numérotée, signée, vérifiable ; le donateur la télécharge aussi depuis son portail.
statement-for_lot = Pour ce lot, de sa réception à aujourd’hui
statement-for_year = Pour tous les dons de ce donateur sur l’année
statement-year = Année
statement-language = Langue
statement-issue = Émettre l’attestation
statement-title = Attestation d’impact du don
statement-covers_lot = Don reçu le { $received }
statement-covers_year = Ensemble des dons de l’année { $year }
statement-period = Période couverte : du { $from } au { $to }
statement-intro = { $workshop } atteste que les équipements informatiques donnés par { $donor } ont connu, sur cette période, le devenir ci-dessous. Chaque chiffre provient du registre de traçabilité de l’atelier ; il est égal à celui de son rapport d’impact pour ce donateur et cette période.
statement-what_became = Ce que sont devenus vos équipements
statement-collected = Équipements reçus
statement-reused = Réemployés : reconditionnés et remis à un bénéficiaire
statement-recycled = Recyclés par une filière DEEE agréée
statement-dismantled = Démantelés pour en réemployer les pièces
statement-in_progress = Encore en traitement en fin de période
statement-kg_collected = Poids reçu
statement-kg_reused = Poids réemployé
statement-kg_recycled = Poids recyclé
statement-col_kind = Type
statement-col_collected = Reçus
statement-col_reused = Réemployés
statement-col_recycled = Recyclés
statement-who = Qui en a bénéficié
statement-individuals = Personnes équipées
statement-organisations = Structures équipées (associations, écoles…)
statement-departement = département { $code }
statement-departement_unknown = territoire non renseigné
statement-no_person = Aucune personne n’est nommée : seules des catégories de bénéficiaires et des territoires figurent ici, et tout compte de moins de 5 personnes (ou qui permettrait d’en retrouver un) est indiqué « <5 ».
statement-climate = Climat
statement-co2e = Émissions évitées par le réemploi
statement-factors = Facteurs par équipement réemployé
statement-source = Source des facteurs
statement-not_estimated =
    { $count ->
        [one] { $count } équipement réemployé d’un type sans facteur publié : non estimé, jamais compté à zéro.
       *[other] { $count } équipements réemployés d’un type sans facteur publié : non estimés, jamais comptés à zéro.
    }
statement-work = Emploi et insertion
statement-hours_supported = Heures de travail en insertion soutenues par ce don
statement-hours_rule = Règle : les heures travaillées en contrat d’insertion dans l’atelier sur la période ({ $hours } h), multipliées par la part de ce don dans les équipements que l’atelier a traités jusqu’au bout (réemployés, recyclés ou démantelés : { $sent_on } sur { $all }).
statement-esrs = Pour votre reporting CSRD — ESRS E5, utilisation des ressources et économie circulaire
statement-esrs_intro = Ces chiffres documentent les flux sortants de ressources (E5-5) : les équipements confiés à l’atelier ont été détournés de l’élimination, par type d’opération de valorisation.
statement-esrs_reuse = Préparation en vue du réemploi
statement-esrs_recycling = Recyclage
statement-esrs_diverted = Total détourné de l’élimination
statement-esrs_co2e = Émissions de gaz à effet de serre évitées (information complémentaire)
statement-method = Méthode : un équipement compte comme réemployé s’il a été remis dans la période et n’était pas revenu à sa fin. Les poids sont ceux pesés à l’atelier, ou à défaut le poids type de chaque catégorie d’équipement.
statement-signed = Document numéroté { $number }, signé électroniquement (Ed25519). Vérifiez-le sur { $url } ou hors ligne avec « retrace verify ».
