//! Reading a multipart form (an upload) with a bound on each file: a file over
//! the limit stops the reading there, with a message naming it; text fields
//! are short. One reader for every upload of the app.

use crate::error::AppError;
use leptos::server_fn::codec::MultipartData;
use std::collections::HashMap;

/// The longest text field of an upload form.
const MAX_FIELD_BYTES: usize = 1000;

/// A file as sent.
pub struct SentFile {
    pub field: String,
    /// The name the browser gave (to be cleaned before any use).
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A form as sent: its text fields and its files, in order.
#[derive(Default)]
pub struct Sent {
    fields: HashMap<String, String>,
    pub files: Vec<SentFile>,
}

impl Sent {
    /// A text field, empty when not sent.
    pub fn text(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    /// The first file of a field, if one was sent.
    pub fn take_file(&mut self, field: &str) -> Option<SentFile> {
        let i = self.files.iter().position(|f| f.field == field)?;
        Some(self.files.remove(i))
    }
}

fn unreadable(e: impl std::fmt::Display) -> AppError {
    tracing::info!(error = %e, "malformed upload");
    AppError::validation("The upload could not be read. Choose the file again and resend the form.")
}

/// Reads the form. Files of the fields `file_fields` are kept, each up to
/// `max_file_bytes`; `describe` names a file field in the message ("The parts
/// file"). Other fields are text.
pub async fn read(
    data: MultipartData,
    file_fields: &[&str],
    max_file_bytes: usize,
    describe: impl Fn(&str) -> String,
) -> Result<Sent, AppError> {
    let mut parts = data
        .into_inner()
        .ok_or_else(|| unreadable("no multipart data"))?;
    let mut sent = Sent::default();
    while let Some(mut field) = parts.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        if file_fields.contains(&name.as_str()) {
            let filename = field.file_name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if bytes.len() + chunk.len() > max_file_bytes {
                    return Err(AppError::Validation(format!(
                        "{} is larger than {} MB.",
                        describe(&name),
                        max_file_bytes / 1024 / 1024
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            sent.files.push(SentFile {
                field: name,
                filename,
                bytes,
            });
            continue;
        }
        let value = field.text().await.map_err(unreadable)?;
        if value.len() > MAX_FIELD_BYTES {
            return Err(unreadable(format!("field {name} too long")));
        }
        sent.fields.insert(name, value);
    }
    Ok(sent)
}
