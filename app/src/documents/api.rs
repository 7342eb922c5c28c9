//! Document types and server functions: the documents a caller may read, and
//! the supplier admin's upload (a new document, or a new version of one).

use crate::catalog::ModelRef;
use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// One uploaded version of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DocumentVersion {
    pub id: i64,
    pub document_id: i64,
    pub version: String,
    pub filename: String,
    pub size_bytes: i64,
    pub uploaded_at: i64,
}

/// A document of a model, its newest version first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Document {
    pub id: i64,
    pub model_id: i64,
    pub model_code: String,
    pub kind: String,
    pub title: String,
    pub language: String,
    pub required_level: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub versions: Vec<DocumentVersion>,
}

/// The documents a caller may read, and whether they may upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentList {
    pub documents: Vec<Document>,
    /// The models the documents may be attached to (for the upload form).
    pub models: Vec<ModelRef>,
    pub can_manage: bool,
}

/// The address a version is downloaded from (`download::PATH`); also made from
/// an id as it came in a request path, so it is encoded.
pub fn version_href(version: impl std::fmt::Display) -> String {
    format!(
        "/documents/{}/file",
        crate::url::encode_component(&version.to_string())
    )
}

/// The documents the caller may read, of one model or of all: every document
/// for the supplier's staff; for customers and partners those of the models in
/// their scope, service-level ones only with the certification level they name.
#[access(SignedIn)]
#[server(prefix = "/api", endpoint = "documents/list")]
pub async fn list_documents(
    #[server(default)] model: Option<i64>,
) -> Result<DocumentList, AppError> {
    use super::queries;
    let st = crate::platform::state()?;
    let documents = queries::readable(&st.pool, &session.user, model).await?;
    let models = crate::catalog::queries::models(&st.pool).await?;
    Ok(DocumentList {
        documents,
        models,
        can_manage: session
            .user
            .role
            .has(crate::identity::Permission::ManageDocuments),
    })
}

/// Uploads a document, or a new version of the document with the same model,
/// kind, title and language (older versions stay listed). Sending the same
/// file as the same version again changes nothing, so a double click or a
/// retry adds one version. Multipart fields: `model`, `kind`, `title`,
/// `language`, `version`, `required_level` (optional), `level_choice`
/// (optional) and `file`. A new version keeps its document's certification
/// level unless a level is typed or `level_choice` is `none` (open to every
/// customer of the model); the audit entry records a change from → to.
#[access(ManageDocuments, upload)]
#[server(prefix = "/api", endpoint = "documents/upload", input = MultipartFormData)]
pub async fn upload_document(data: MultipartData) -> Result<(), AppError> {
    let form = super::upload::read_form(data).await?;
    super::upload::store(&session.user, form).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::DocumentUploaded)?;
    Ok(())
}
