//! Certificates as the pages list them: number, what, when, and the links
//! to the file and to its public verification page.

use crate::certificates::{Certificate, queries};
use crate::error::AppError;
use crate::i18n::Language;
use crate::pagination::PageParams;
use crate::principal::Principal;
use crate::state::AppState;

pub struct CertificateLine {
    pub number: String,
    pub what: String,
    pub issued_on: String,
}

impl CertificateLine {
    pub fn of(lang: Language, certificate: Certificate) -> Self {
        let issued = certificate.issued;
        let kind = lang.word("portal", &format!("certificate_{}", issued.kind.as_str()));
        Self {
            what: match issued.year {
                Some(year) => format!("{kind} {year}"),
                None => kind,
            },
            issued_on: crate::i18n::format::date(lang, issued.issued_at.date_naive()),
            number: issued.number,
        }
    }

    /// The certificates of one lot or device, newest first.
    pub async fn of_subject(
        state: &AppState,
        principal: &Principal,
        subject: uuid::Uuid,
        lang: Language,
    ) -> Result<Vec<Self>, AppError> {
        let filter = queries::Filter {
            kind: None,
            subject_id: Some(subject),
        };
        let page = PageParams {
            limit: Some(100),
            cursor: None,
        };
        let mut found = queries::list(&state.db, principal, &filter, &page)
            .await?
            .items;
        found.sort_by_key(|c| std::cmp::Reverse(c.issued.issued_at));
        Ok(found.into_iter().map(|c| Self::of(lang, c)).collect())
    }
}
