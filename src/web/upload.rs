//! A file sent from a page: the form's token, the file, and which boxes were
//! ticked — read the same way by every page that takes a spreadsheet.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;

use crate::error::AppError;

#[derive(Debug, Default)]
pub struct Upload {
    pub csrf: String,
    pub file: Vec<u8>,
    /// The names of the other fields sent (ticked checkboxes).
    pub flags: Vec<String>,
}

impl Upload {
    pub fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
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
            Some(name) => upload.flags.push(name),
            None => {}
        }
    }
    Ok(upload)
}
