//! Training administration, server-only: which organisation the caller
//! administers, the matrix and its proposals, assignment and the
//! development plan. Every id from the browser is checked against that
//! organisation; one from another answers not found.

use super::super::api::{CourseRef, EnrollmentSource};
use super::super::rules::{self, Audience, EnrollmentFacts, TrainingStatus};
use super::api::*;
use crate::accounts::{Role, SessionUser};
use crate::audit::{self, AuditAction, Event};
use crate::error::AppError;
use crate::organisations::OrgKind;
use crate::platform::db::{self, Pool};
use crate::platform::now;
use sqlx::QueryBuilder;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The matrix's row filters, checked.
#[derive(Debug, Clone, Default)]
pub struct MatrixFilter {
    /// A job role's id; `Some(0)` for people without one.
    pub role: Option<i64>,
    pub status: Option<TrainingStatus>,
    pub q: String,
    /// The page of rows ([`MATRIX_PAGE_ROWS`] each); `None`: every row (the
    /// CSV export).
    pub page: Option<i64>,
}

/// People per page of the matrix.
pub const MATRIX_PAGE_ROWS: usize = 100;
/// Proposals listed by name (all of them are assigned by "Assign all").
pub const PROPOSALS_LISTED: usize = 50;

impl MatrixFilter {
    pub fn parse(role: &str, status: &str, q: &str, page: &str) -> Self {
        MatrixFilter {
            page: Some(page.trim().parse().unwrap_or(1).clamp(1, 10_000)),
            role: if role == "none" {
                Some(0)
            } else {
                role.parse().ok()
            },
            status: TrainingStatus::parse(status),
            q: q.trim().to_lowercase(),
        }
    }
}

fn not_found(what: &str) -> AppError {
    AppError::NotFound(what.into())
}

/// The organisation the caller administers: their own; for the supplier
/// admin, the partner or customer named by `org` (the first by name when none
/// is named). Another organisation's id is not found.
pub async fn scope_org(
    pool: &Pool,
    me: &SessionUser,
    org: &str,
) -> Result<(TrainingOrg, OrgKind), AppError> {
    let org = org.trim();
    if me.role != Role::Admin {
        if !org.is_empty() && org.parse::<i64>().ok() != Some(me.org_id) {
            return Err(not_found("The organisation"));
        }
        let org = TrainingOrg {
            id: me.org_id,
            name: me.org_name.clone(),
        };
        return Ok((org, me.org_kind));
    }
    let row: Option<(i64, String, OrgKind)> = if org.is_empty() {
        sqlx::query_as(
            "SELECT id, name, kind FROM organisations WHERE kind <> 'supplier' AND active = TRUE
             ORDER BY name LIMIT 1",
        )
        .fetch_optional(pool)
        .await?
    } else {
        let id: i64 = org.parse().map_err(|_| not_found("The organisation"))?;
        sqlx::query_as(
            "SELECT id, name, kind FROM organisations WHERE id = $1 AND kind <> 'supplier'",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
    };
    let (id, name, kind) = row.ok_or_else(|| not_found("The organisation"))?;
    Ok((TrainingOrg { id, name }, kind))
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    display_name: String,
    email: String,
    job_role_id: Option<i64>,
    job_role: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    job_role_id: i64,
    id: i64,
    slug: String,
    title: String,
}

#[derive(sqlx::FromRow)]
struct EnrollmentCell {
    user_id: i64,
    course_id: i64,
    source: EnrollmentSource,
    due_at: Option<i64>,
    completed_at: Option<i64>,
    expires_at: Option<i64>,
    lessons_done: i64,
}

/// Everything the matrix is made of, read in a few queries.
pub(super) struct OrgTraining {
    staff: Vec<StaffRow>,
    plan: Vec<PlanRow>,
    roles: Vec<(i64, String)>,
    enrollments: Vec<EnrollmentCell>,
    /// (course, the published course it requires, that course's title).
    prerequisites: Vec<(i64, i64, String)>,
}

pub(super) async fn load(pool: &Pool, org_id: i64) -> Result<OrgTraining, sqlx::Error> {
    let staff = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, s.job_role_id, r.name AS job_role
         FROM users u
         LEFT JOIN staff_job_roles s ON s.user_id = u.id
         LEFT JOIN job_roles r ON r.id = s.job_role_id
         WHERE u.org_id = $1 AND u.active = TRUE
         ORDER BY u.display_name, u.id",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    let plan = sqlx::query_as(
        "SELECT jc.job_role_id, c.id, c.slug, c.title
         FROM job_role_courses jc
         JOIN job_roles r ON r.id = jc.job_role_id
         JOIN courses c ON c.id = jc.course_id
         WHERE r.org_id = $1
         ORDER BY c.title",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    let roles = sqlx::query_as("SELECT id, name FROM job_roles WHERE org_id = $1 ORDER BY name")
        .bind(org_id)
        .fetch_all(pool)
        .await?;
    let enrollments = sqlx::query_as(
        "SELECT e.user_id, e.course_id, e.source, e.due_at, e.completed_at, e.expires_at,
                (SELECT COUNT(*) FROM lesson_progress p WHERE p.enrollment_id = e.id) AS lessons_done
         FROM enrollments e
         JOIN users u ON u.id = e.user_id
         WHERE u.org_id = $1 AND u.active = TRUE",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    let prerequisites = sqlx::query_as(
        "SELECT r.course_id, r.requires_id, c.title FROM course_prerequisites r
         JOIN courses c ON c.id = r.requires_id AND c.published = TRUE
         ORDER BY c.title",
    )
    .fetch_all(pool)
    .await?;
    Ok(OrgTraining {
        staff,
        plan,
        roles,
        prerequisites,
        enrollments,
    })
}

/// The matrix's columns: the courses of `ids` by title, with their lesson
/// counts. (The enrollments carry course ids only: thousands of rows need not
/// each bring a title.)
async fn columns(
    pool: &Pool,
    ids: &BTreeSet<i64>,
) -> Result<(Vec<CourseRef>, HashMap<i64, i64>), sqlx::Error> {
    if ids.is_empty() {
        return Ok((Vec::new(), HashMap::new()));
    }
    let mut q = QueryBuilder::new(
        "SELECT c.id, c.slug, c.title, (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id AND l.live = TRUE)
         FROM courses c WHERE c.id IN (",
    );
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
    let mut rows: Vec<(i64, String, String, i64)> = q.build_query_as().fetch_all(pool).await?;
    // By title in Rust: the same order on both databases, whatever the collation.
    rows.sort_by(|a, b| (&a.2, a.0).cmp(&(&b.2, b.0)));
    let lessons = rows.iter().map(|r| (r.0, r.3)).collect();
    let refs = rows
        .into_iter()
        .map(|(id, slug, title, _)| CourseRef { id, slug, title })
        .collect();
    Ok((refs, lessons))
}

/// The published courses staff of an organisation of `kind` may be assigned.
async fn assignable(pool: &Pool, kind: OrgKind) -> Result<Vec<CourseRef>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT id, slug, title FROM courses WHERE published = TRUE AND audience IN (",
    );
    let mut list = q.separated(", ");
    for a in Audience::for_kind(kind).iter().filter(|a| a.admits(kind)) {
        list.push_bind(a.as_str());
    }
    q.push(") ORDER BY title");
    q.build_query_as().fetch_all(pool).await
}

impl OrgTraining {
    /// The courses each person's job role requires.
    fn required(&self) -> HashMap<i64, HashSet<i64>> {
        let mut by_role: HashMap<i64, HashSet<i64>> = HashMap::new();
        for p in &self.plan {
            by_role.entry(p.job_role_id).or_default().insert(p.id);
        }
        self.staff
            .iter()
            .filter_map(|s| Some((s.id, by_role.get(&s.job_role_id?)?.clone())))
            .collect()
    }

    /// The ids of the columns: every course of the plan, and every course
    /// assigned to someone (self-enrolled courses show in cells of those
    /// columns only).
    fn column_ids(&self) -> BTreeSet<i64> {
        self.plan
            .iter()
            .map(|p| p.id)
            .chain(
                self.enrollments
                    .iter()
                    .filter(|e| e.source != EnrollmentSource::SelfService)
                    .map(|e| e.course_id),
            )
            .collect()
    }

    /// The proposals that close the plan's gaps, by person then course.
    pub(super) fn proposals(&self, now: i64) -> Vec<Proposal> {
        let facts = self.facts();
        let mut out = Vec::new();
        for s in self.staff.iter().filter(|s| s.job_role_id.is_some()) {
            for p in self
                .plan
                .iter()
                .filter(|p| Some(p.job_role_id) == s.job_role_id)
            {
                let status = rules::status(facts.get(&(s.id, p.id)), true, now);
                if status.is_some_and(TrainingStatus::is_gap) {
                    let missing: Vec<&str> = self
                        .prerequisites
                        .iter()
                        .filter(|(course, requires, _)| {
                            *course == p.id
                                && !rules::status(facts.get(&(s.id, *requires)), false, now)
                                    .is_some_and(TrainingStatus::is_current)
                        })
                        .map(|(_, _, title)| title.as_str())
                        .collect();
                    out.push(Proposal {
                        waiting_for: (!missing.is_empty()).then(|| missing.join(" and ")),
                        user_id: s.id,
                        name: s.display_name.clone(),
                        course: CourseRef {
                            id: p.id,
                            slug: p.slug.clone(),
                            title: p.title.clone(),
                        },
                        renewal: status == Some(TrainingStatus::Expired),
                    });
                }
            }
        }
        out
    }

    fn facts(&self) -> HashMap<(i64, i64), EnrollmentFacts> {
        self.enrollments
            .iter()
            .map(|e| {
                let f = EnrollmentFacts {
                    due_at: e.due_at,
                    completed_at: e.completed_at,
                    expires_at: e.expires_at,
                    lessons_done: e.lessons_done,
                };
                ((e.user_id, e.course_id), f)
            })
            .collect()
    }
}

pub async fn matrix(
    pool: &Pool,
    me: &SessionUser,
    org: &str,
    filter: &MatrixFilter,
) -> Result<TrainingMatrix, AppError> {
    let at = now();
    let (org, kind) = scope_org(pool, me, org).await?;
    let data = load(pool, org.id).await?;
    let (columns, totals_by_course) = columns(pool, &data.column_ids()).await?;
    let required = data.required();
    let facts = data.facts();
    let mut totals: BTreeMap<&'static str, (TrainingStatus, i64)> = BTreeMap::new();
    let mut rows = Vec::new();
    for s in &data.staff {
        let cells: Vec<Option<MatrixCell>> = columns
            .iter()
            .map(|c| {
                let req = required.get(&s.id).is_some_and(|r| r.contains(&c.id));
                let f = facts.get(&(s.id, c.id));
                rules::status(f, req, at).map(|status| MatrixCell {
                    status,
                    required: req,
                    due_at: f.and_then(|f| f.due_at),
                    expires_at: f.and_then(|f| f.expires_at),
                    lessons_done: f.map(|f| f.lessons_done).unwrap_or_default(),
                    lessons_total: totals_by_course.get(&c.id).copied().unwrap_or_default(),
                })
            })
            .collect();
        for cell in cells.iter().flatten() {
            totals
                .entry(cell.status.as_str())
                .or_insert((cell.status, 0))
                .1 += 1;
        }
        let keep = match filter.role {
            Some(0) => s.job_role_id.is_none(),
            Some(role) => s.job_role_id == Some(role),
            None => true,
        } && filter
            .status
            .is_none_or(|want| cells.iter().flatten().any(|c| c.status == want))
            && (filter.q.is_empty()
                || s.display_name.to_lowercase().contains(&filter.q)
                || s.email.to_lowercase().contains(&filter.q));
        if keep {
            rows.push(MatrixRow {
                user_id: s.id,
                job_role_id: s.job_role_id,
                name: s.display_name.clone(),
                email: s.email.clone(),
                job_role: s.job_role.clone(),
                cells,
            });
        }
    }
    let roles = data
        .roles
        .iter()
        .map(|(id, name)| JobRoleView {
            id: *id,
            name: name.clone(),
            courses: data
                .plan
                .iter()
                .filter(|p| p.job_role_id == *id)
                .map(|p| CourseRef {
                    id: p.id,
                    slug: p.slug.clone(),
                    title: p.title.clone(),
                })
                .collect(),
            staff: data
                .staff
                .iter()
                .filter(|s| s.job_role_id == Some(*id))
                .count() as i64,
        })
        .collect();
    let orgs = if me.role == Role::Admin {
        sqlx::query_as("SELECT id, name FROM organisations WHERE kind <> 'supplier' AND active = TRUE ORDER BY name")
            .fetch_all(pool)
            .await?
    } else {
        Vec::new()
    };
    let rows_total = rows.len() as i64;
    let per_page = MATRIX_PAGE_ROWS as i64;
    let pages = ((rows_total + per_page - 1) / per_page).max(1);
    let page = filter.page.map(|p| p.min(pages));
    if let Some(p) = page {
        rows = rows
            .into_iter()
            .skip((p as usize - 1) * MATRIX_PAGE_ROWS)
            .take(MATRIX_PAGE_ROWS)
            .collect();
    }
    let mut proposals = data.proposals(at);
    let proposals_total = proposals.len() as i64;
    let proposals_waiting = proposals.iter().filter(|p| p.waiting_for.is_some()).count() as i64;
    proposals.truncate(PROPOSALS_LISTED);
    Ok(TrainingMatrix {
        proposals,
        proposals_total,
        proposals_waiting,
        rows_total,
        page: page.unwrap_or(1),
        pages: if page.is_some() { pages } else { 1 },
        staff_total: data.staff.len() as i64,
        staff: data
            .staff
            .iter()
            .map(|s| StaffChoice {
                id: s.id,
                name: s.display_name.clone(),
                job_role_id: s.job_role_id,
            })
            .collect(),
        courses: assignable(pool, kind).await?,
        totals: TrainingStatus::ALL
            .iter()
            .filter_map(|s| totals.get(s.as_str()).copied())
            .collect(),
        org,
        orgs,
        columns,
        rows,
        roles,
    })
}

/// A person of the organisation by id, or not found.
pub(super) async fn staff_member(
    pool: &Pool,
    org_id: i64,
    user_id: &str,
) -> Result<(i64, String), AppError> {
    let id: i64 = user_id
        .trim()
        .parse()
        .map_err(|_| not_found("The person"))?;
    sqlx::query_as(
        "SELECT id, display_name FROM users WHERE id = $1 AND org_id = $2 AND active = TRUE",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| not_found("The person"))
}

/// A published course by slug that staff of `kind` may take; otherwise a
/// clear refusal.
pub(super) async fn course_for(
    pool: &Pool,
    kind: OrgKind,
    slug: &str,
) -> Result<CourseRef, AppError> {
    let row: Option<(i64, String, String, Audience)> = sqlx::query_as(
        "SELECT id, slug, title, audience FROM courses WHERE slug = $1 AND published = TRUE",
    )
    .bind(slug.trim())
    .fetch_optional(pool)
    .await?;
    let (id, slug, title, audience) =
        row.ok_or_else(|| AppError::validation("Choose a course."))?;
    // A course the organisation's staff may not even see is not named.
    if !rules::in_audience(kind, audience) {
        return Err(AppError::validation("Choose a course."));
    }
    if !audience.admits(kind) {
        return Err(AppError::Validation(format!(
            "{title} is for {}: it cannot be assigned here.",
            audience.label().to_lowercase()
        )));
    }
    Ok(CourseRef { id, slug, title })
}

pub async fn add_role(
    pool: &Pool,
    me: &SessionUser,
    org: &str,
    name: &str,
) -> Result<(), AppError> {
    let (org, _) = scope_org(pool, me, org).await?;
    let name = rules::parse_job_role(name).map_err(AppError::Validation)?;
    let mut tx = db::begin_write(pool).await?;
    let added = sqlx::query(
        "INSERT INTO job_roles (org_id, name) VALUES ($1, $2) ON CONFLICT (org_id, name) DO NOTHING",
    )
    .bind(org.id)
    .bind(&name)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 0 {
        return Err(AppError::Validation(format!(
            "{name} is in the plan already."
        )));
    }
    let event = Event::by(
        me,
        AuditAction::DevelopmentPlanChanged,
        "organisation",
        org.id,
    )
    .detail(serde_json::json!({ "job_role_added": name }));
    audit::record(&mut *tx, now(), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// A job role of the organisation by id, or not found.
async fn job_role(pool: &Pool, org_id: i64, id: &str) -> Result<(i64, String), AppError> {
    let id: i64 = id.trim().parse().map_err(|_| not_found("The job role"))?;
    sqlx::query_as("SELECT id, name FROM job_roles WHERE id = $1 AND org_id = $2")
        .bind(id)
        .bind(org_id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| not_found("The job role"))
}

pub async fn set_plan_course(
    pool: &Pool,
    me: &SessionUser,
    org: &str,
    role_id: &str,
    course: &str,
    required: bool,
) -> Result<(), AppError> {
    let (org, kind) = scope_org(pool, me, org).await?;
    let (role_id, role) = job_role(pool, org.id, role_id).await?;
    let course = course_for(pool, kind, course).await?;
    let mut tx = db::begin_write(pool).await?;
    let sql = if required {
        "INSERT INTO job_role_courses (job_role_id, course_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM job_role_courses WHERE job_role_id = $1 AND course_id = $2"
    };
    sqlx::query(sql)
        .bind(role_id)
        .bind(course.id)
        .execute(&mut *tx)
        .await?;
    let event = Event::by(
        me,
        AuditAction::DevelopmentPlanChanged,
        "organisation",
        org.id,
    )
    .detail(serde_json::json!({ "job_role": role, "course": course.slug, "required": required }));
    audit::record(&mut *tx, now(), &event).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_staff_role(
    pool: &Pool,
    me: &SessionUser,
    org: &str,
    user_id: &str,
    role_id: &str,
) -> Result<(), AppError> {
    let (org, _) = scope_org(pool, me, org).await?;
    let (user_id, _) = staff_member(pool, org.id, user_id).await?;
    let role = if role_id.trim().is_empty() {
        None
    } else {
        Some(job_role(pool, org.id, role_id).await?)
    };
    let mut tx = db::begin_write(pool).await?;
    match &role {
        Some((id, _)) => {
            sqlx::query(
                "INSERT INTO staff_job_roles (user_id, job_role_id) VALUES ($1, $2)
                 ON CONFLICT (user_id) DO UPDATE SET job_role_id = excluded.job_role_id",
            )
            .bind(user_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM staff_job_roles WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    let event = Event::by(me, AuditAction::DevelopmentPlanChanged, "user", user_id)
        .detail(serde_json::json!({ "job_role": role.map(|r| r.1) }));
    audit::record(&mut *tx, now(), &event).await?;
    tx.commit().await?;
    Ok(())
}
