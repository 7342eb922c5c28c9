//! One-shot notices ("User added.") that survive the full page load that follows
//! a successful form: the server function sets a short-lived cookie naming a
//! notice from a fixed list, and the next page shows it once and clears it. It
//! works the same for a plain form post without JavaScript, which the server
//! answers with a redirect back to the form's page.

use crate::error::AppError;

const COOKIE: &str = "careport_notice";

/// The notices there are; the cookie carries only the key, never text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    UserAdded,
    OrganisationAdded,
    Saved,
    SessionsEnded,
    TwoStepOff,
    TwoStepReset,
    AddedToCart,
    RemovedFromCart,
    Reordered,
    DocumentUploaded,
    Enrolled,
    CourseCompleted,
    FeedbackSaved,
    CourseAssigned,
    ProposalsApplied,
    ProposalsWaiting,
    CourseCreated,
    DraftSaved,
    DraftDiscarded,
    LessonPublished,
    MaterialUploaded,
}

impl Notice {
    const ALL: [Notice; 21] = [
        Notice::UserAdded,
        Notice::OrganisationAdded,
        Notice::Saved,
        Notice::SessionsEnded,
        Notice::TwoStepOff,
        Notice::TwoStepReset,
        Notice::AddedToCart,
        Notice::RemovedFromCart,
        Notice::Reordered,
        Notice::DocumentUploaded,
        Notice::Enrolled,
        Notice::CourseCompleted,
        Notice::FeedbackSaved,
        Notice::CourseAssigned,
        Notice::ProposalsApplied,
        Notice::ProposalsWaiting,
        Notice::CourseCreated,
        Notice::DraftSaved,
        Notice::DraftDiscarded,
        Notice::LessonPublished,
        Notice::MaterialUploaded,
    ];

    fn key(self) -> &'static str {
        match self {
            Notice::UserAdded => "user-added",
            Notice::OrganisationAdded => "organisation-added",
            Notice::Saved => "saved",
            Notice::SessionsEnded => "sessions-ended",
            Notice::TwoStepOff => "two-step-off",
            Notice::TwoStepReset => "two-step-reset",
            Notice::AddedToCart => "added-to-cart",
            Notice::RemovedFromCart => "removed-from-cart",
            Notice::Reordered => "reordered",
            Notice::DocumentUploaded => "document-uploaded",
            Notice::Enrolled => "enrolled",
            Notice::CourseCompleted => "course-completed",
            Notice::FeedbackSaved => "feedback-saved",
            Notice::CourseAssigned => "course-assigned",
            Notice::ProposalsApplied => "proposals-applied",
            Notice::ProposalsWaiting => "proposals-waiting",
            Notice::CourseCreated => "course-created",
            Notice::DraftSaved => "draft-saved",
            Notice::DraftDiscarded => "draft-discarded",
            Notice::LessonPublished => "lesson-published",
            Notice::MaterialUploaded => "material-uploaded",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Notice::UserAdded => "User added. They can sign in with the initial password you set.",
            Notice::OrganisationAdded => "Organisation added.",
            Notice::Saved => "Changes saved.",
            Notice::SessionsEnded => "Signed out there. That device must sign in again.",
            Notice::TwoStepOff => "Two-step verification is off. Your password alone now signs you in.",
            Notice::AddedToCart => "Added to your cart.",
            Notice::RemovedFromCart => "Removed from your cart.",
            Notice::Reordered => "The order's parts are in your cart again: check the quantities and submit.",
            Notice::DocumentUploaded => "Document uploaded. Everyone it is open to reads this version now.",
            Notice::Enrolled => "You are enrolled. Your progress is kept as you go, on any device.",
            Notice::CourseCompleted => "Course completed. It is in your transcript.",
            Notice::FeedbackSaved => "Thank you: your rating is saved.",
            Notice::CourseAssigned => "Course assigned. It is on their transcript now.",
            Notice::ProposalsApplied => "The proposed enrollments are assigned.",
            Notice::ProposalsWaiting => "The proposed enrollments are assigned, except courses whose prerequisites their learners have not completed yet: those stay proposed.",
            Notice::CourseCreated => "Course created as a draft. Add modules and lessons, then publish it.",
            Notice::DraftSaved => "Draft saved. The preview shows it; learners still read the published text.",
            Notice::DraftDiscarded => "Draft discarded.",
            Notice::LessonPublished => "Lesson published. Learners read this text now.",
            Notice::MaterialUploaded => "Material uploaded.",
            Notice::TwoStepReset => {
                "Two-step verification reset and signed out everywhere. They sign in with their password and can turn it on again."
            }
        }
    }

    fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.key() == key)
    }
}

fn cookie(value: &str, max_age: u32) -> Result<String, AppError> {
    let secure = if super::state()?.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    Ok(format!(
        "{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
}

/// Shows `notice` on the next page this browser loads.
pub fn set(notice: Notice) -> Result<(), AppError> {
    super::set_cookie(cookie(notice.key(), 60)?)
}

/// The notice waiting for this page, if any; clears it.
pub fn take() -> Option<Notice> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let notice = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .and_then(|(_, v)| Notice::parse(v))?;
    cookie("", 0).and_then(super::set_cookie).ok()?;
    Some(notice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_keys_show_nothing() {
        for n in Notice::ALL {
            assert_eq!(Notice::parse(n.key()), Some(n));
        }
        assert_eq!(Notice::parse("<script>"), None);
    }
}
