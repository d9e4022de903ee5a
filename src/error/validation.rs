//! A request's invalid fields, as `validator` found them, named by their
//! JSON path.

use super::{AppError, FieldError};

impl From<validator::ValidationErrors> for AppError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_validation_errors("", &errors, &mut fields);
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Self::Validation(fields)
    }
}

fn collect_validation_errors(
    prefix: &str,
    errors: &validator::ValidationErrors,
    out: &mut Vec<FieldError>,
) {
    use validator::ValidationErrorsKind as Kind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            Kind::Field(list) => out.extend(list.iter().map(|e| {
                let message = e
                    .message
                    .as_ref()
                    .map_or_else(|| default_message(&e.code), ToString::to_string);
                FieldError::new(path.clone(), message).with_code(e.code.clone())
            })),
            Kind::Struct(inner) => collect_validation_errors(&path, inner, out),
            Kind::List(items) => {
                for (index, inner) in items {
                    collect_validation_errors(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

fn default_message(code: &str) -> String {
    match code {
        "length" => "has an invalid length".into(),
        "range" => "is out of range".into(),
        "email" => "is not a valid email address".into(),
        other => format!("is invalid ({other})"),
    }
}
