//! Course authoring by the supplier's content editors (the admin role): the
//! list of every course with its enrollments and ratings, a course's fields,
//! modules, lessons, prerequisites and materials, and a lesson's Markdown with
//! a preview of its draft. All plain form posts; every change is audited.
// A form's fields are a server function's arguments: the course form has 8.
#![allow(clippy::too_many_arguments)]

use super::super::api::CourseRef;
pub use super::super::rules::{Audience, Level};
use crate::catalog::ModelRef;
use crate::error::AppError;
use app_macros::access;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// A course in the editor's list, published or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EditorRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub published: bool,
    pub summary: String,
    pub duration_minutes: i64,
    pub validity_months: Option<i64>,
    /// Customers buy the course by the seat at this price.
    pub seat_price_cents: Option<i64>,
    pub audience: Audience,
    pub level: Level,
    pub model_code: Option<String>,
    pub lessons: i64,
    pub enrolled: i64,
    pub completed: i64,
    pub rating_sum: i64,
    pub rating_count: i64,
}

/// A lesson in the editor's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EditorLesson {
    pub module_id: i64,
    pub n: i64,
    pub title: String,
    pub minutes: i64,
    pub has_draft: bool,
    /// Published to learners (else added to a published course and waiting
    /// for its first publication).
    pub live: bool,
}

/// A module and its lessons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorModule {
    pub id: i64,
    pub title: String,
    pub lessons: Vec<EditorLesson>,
}

/// A downloadable material of a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialView {
    pub id: i64,
    pub title: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub href: String,
    /// What to paste into a lesson to show or link it.
    pub markdown: String,
}

/// A learner's rating and comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FeedbackRow {
    pub rating: i64,
    pub comment: String,
    pub at: i64,
    pub learner: String,
    pub organisation: String,
}

/// A course as its editor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseEdit {
    pub row: EditorRow,
    pub modules: Vec<EditorModule>,
    pub prerequisites: Vec<CourseRef>,
    /// The courses that may become prerequisites.
    pub candidates: Vec<CourseRef>,
    pub models: Vec<ModelRef>,
    pub materials: Vec<MaterialView>,
    pub feedback: Vec<FeedbackRow>,
}

/// A lesson as its editor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonEdit {
    pub course: CourseRef,
    pub published: bool,
    /// Learners read this lesson (else it waits for its first publication).
    pub live: bool,
    /// The lesson's id: its form sends it, as numbers may move meanwhile.
    pub id: i64,
    pub n: i64,
    pub total: i64,
    pub module_title: String,
    pub title: String,
    pub minutes: i64,
    /// The draft if there is one, else the published text.
    pub markdown: String,
    pub has_draft: bool,
    /// The Markdown above, rendered as learners will see it.
    pub preview_html: String,
    pub materials: Vec<MaterialView>,
}

/// Every course, published or not, with enrollments, completions and ratings.
#[access(EditCourses)]
#[server(prefix = "/api", endpoint = "course-editor/list")]
pub async fn list_course_editor() -> Result<Vec<EditorRow>, AppError> {
    let st = crate::platform::state()?;
    Ok(super::editor::list(&st.pool).await?)
}

/// One course for its editor.
#[access(EditCourses)]
#[server(prefix = "/api", endpoint = "course-editor/get")]
pub async fn get_course_edit(slug: String) -> Result<CourseEdit, AppError> {
    let st = crate::platform::state()?;
    super::editor::course_edit(&st.pool, &slug).await
}

/// Creates an unpublished course and goes to its editor. An empty address
/// is made from the title.
#[access(EditCourses)]
#[server(prefix = "/api", endpoint = "course-editor/create")]
pub async fn create_course(
    title: String,
    #[server(default)] slug: String,
    audience: String,
    level: String,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    let slug =
        super::editor::create(&st.pool, &session.user, &title, &slug, &audience, &level).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::CourseCreated)?;
    leptos_axum::redirect(&super::super::rules::editor_href(&slug));
    Ok(())
}

/// Saves a course's fields.
#[access(EditCourses)]
#[server(prefix = "/api", endpoint = "course-editor/save")]
pub async fn save_course(
    course: String,
    title: String,
    #[server(default)] summary: String,
    audience: String,
    #[server(default)] model: String,
    level: String,
    duration: String,
    #[server(default)] validity: String,
    #[server(default)] seat_price: String,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    let form = super::rules::CourseForm {
        seat_price,
        title,
        summary,
        audience,
        model,
        level,
        duration,
        validity,
    };
    super::editor::save(&st.pool, &session.user, &course, &form).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::Saved)?;
    leptos_axum::redirect(&super::super::rules::editor_href(&course));
    Ok(())
}

/// Publishes a course (learners find it) or takes it back (`publish` empty).
/// A course is published with at least one lesson.
#[access(EditCourses)]
#[server(prefix = "/api", endpoint = "course-editor/publish")]
pub async fn publish_course(
    course: String,
    #[server(default)] publish: String,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    let on = !publish.is_empty();
    super::editor::set_published(&st.pool, &session.user, &course, on).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::Saved)?;
    leptos_axum::redirect(&super::super::rules::editor_href(&course));
    Ok(())
}

/// Adds (or, with `remove`, removes) a prerequisite; a circle is refused.
#[access(EditCourses)]
#[server(prefix = "/api", endpoint = "course-editor/prerequisite")]
pub async fn set_prerequisite(
    course: String,
    requires: String,
    #[server(default)] remove: String,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    super::editor::prerequisite(
        &st.pool,
        &session.user,
        &course,
        &requires,
        remove.is_empty(),
    )
    .await?;
    leptos_axum::redirect(&super::super::rules::editor_href(&course));
    Ok(())
}

/// Adds a module at the end of a course.
#[access(EditCourses)]
#[server(prefix = "/api", endpoint = "course-editor/module")]
pub async fn add_module(course: String, title: String) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    super::editor::add_module(&st.pool, &session.user, &course, &title).await?;
    leptos_axum::redirect(&super::super::rules::editor_href(&course));
    Ok(())
}

/// Adds a lesson at the end of a module (the lessons after it move one
/// number on) and opens it in the editor.
#[access(EditCourses)]
#[server(prefix = "/api", endpoint = "course-editor/lesson/add")]
pub async fn add_lesson(
    course: String,
    module: String,
    title: String,
    minutes: String,
) -> Result<(), AppError> {
    let st = crate::platform::state()?;
    let n = super::lessons::add_lesson(&st.pool, &session.user, &course, &module, &title, &minutes)
        .await?;
    leptos_axum::redirect(&super::super::rules::lesson_editor_href(&course, n));
    Ok(())
}

/// One lesson for its editor.
#[access(EditCourses)]
#[server(prefix = "/api", endpoint = "course-editor/lesson/get")]
pub async fn get_lesson_edit(slug: String, n: i64) -> Result<LessonEdit, AppError> {
    let st = crate::platform::state()?;
    super::lessons::lesson_edit(&st.pool, &slug, n).await
}

/// Saves a lesson. `intent` "preview" keeps the text as a draft that only
/// editors see; "publish" makes it the lesson learners read; "discard" drops
/// the draft. Title and minutes go with the text.
#[access(EditCourses, long_text)]
#[server(prefix = "/api", endpoint = "course-editor/lesson/save")]
pub async fn save_lesson(
    course: String,
    n: i64,
    title: String,
    minutes: String,
    #[server(default)] body: String,
    intent: String,
    #[server(default)] lesson: String,
) -> Result<(), AppError> {
    use crate::platform::flash;
    let st = crate::platform::state()?;
    use super::lessons::Intent;
    let intent = Intent::parse(&intent)?;
    let n = super::lessons::save_lesson(
        &st.pool,
        &session.user,
        &course,
        n,
        &title,
        &minutes,
        &body,
        intent,
        lesson.trim().parse().ok(),
    )
    .await?;
    flash::set(match intent {
        Intent::Preview => flash::Notice::DraftSaved,
        Intent::Publish => flash::Notice::LessonPublished,
        Intent::Discard => flash::Notice::DraftDiscarded,
    })?;
    leptos_axum::redirect(&format!(
        "{}#preview",
        super::super::rules::lesson_editor_href(&course, n)
    ));
    Ok(())
}

/// Attaches a file (a PDF, a picture, a worksheet) to a course, stored by its
/// content hash. Multipart fields: `course`, `title`, `file`. The same file
/// sent again is attached once.
#[access(EditCourses, upload)]
#[server(prefix = "/api", endpoint = "course-editor/material", input = MultipartFormData)]
pub async fn upload_material(data: MultipartData) -> Result<(), AppError> {
    let sent = super::materials::read_form(data).await?;
    let course = sent.course.clone();
    super::materials::store(&session.user, sent).await?;
    crate::platform::flash::set(crate::platform::flash::Notice::MaterialUploaded)?;
    leptos_axum::redirect(&format!(
        "{}#materials",
        super::super::rules::editor_href(&course)
    ));
    Ok(())
}
