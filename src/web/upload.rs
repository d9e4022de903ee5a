//! A file sent from a page: the form's token, the file, and the form's other
//! fields — read the same way by every page that takes a file.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;

use crate::error::AppError;

#[derive(Debug, Default)]
pub struct Upload {
    pub csrf: String,
    pub file: Vec<u8>,
    /// The other fields sent, by name (a ticked checkbox, a choice).
    pub fields: Vec<(String, String)>,
}

impl Upload {
    /// Whether the field was sent: a ticked checkbox.
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(n, _)| n == name)
    }

    /// The value of a field, if sent.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a multipart form whose file field is `file`.
pub async fn read(multipart: Result<Multipart, MultipartRejection>) -> Result<Upload, AppError> {
    let mut multipart = multipart.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let mut upload = Upload::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?
    {
        match field.name().map(str::to_owned) {
            Some(name) if name == "csrf" => {
                upload.csrf = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(e.body_text()))?;
            }
            Some(name) if name == "file" => {
                upload.file = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(e.body_text()))?
                    .to_vec();
            }
            Some(name) => {
                let value = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(e.body_text()))?;
                upload.fields.push((name, value));
            }
            None => {}
        }
    }
    Ok(upload)
}
