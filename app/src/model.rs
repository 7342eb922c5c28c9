//! Shared vocabulary types (see DOMAIN.md), used by server and browser alike.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The label people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<crate::server::db::Db> for $name {
            fn type_info() -> <crate::server::db::Db as sqlx::Database>::TypeInfo {
                <String as sqlx::Type<crate::server::db::Db>>::type_info()
            }
            fn compatible(ty: &<crate::server::db::Db as sqlx::Database>::TypeInfo) -> bool {
                <String as sqlx::Type<crate::server::db::Db>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, crate::server::db::Db> for $name {
            fn decode(
                value: <crate::server::db::Db as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let s = <&str as sqlx::Decode<crate::server::db::Db>>::decode(value)?;
                Self::parse(s).ok_or_else(|| format!("unknown {} '{s}'", stringify!($name)).into())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

text_enum!(
    /// What kind of organisation a user belongs to.
    OrgKind {
        Supplier => "supplier" / "Supplier",
        Partner => "partner" / "Partner",
        Customer => "customer" / "Customer",
    }
);

text_enum!(
    /// A partner's kind.
    PartnerKind {
        Reseller => "reseller" / "Reseller",
        Agent => "agent" / "Agent",
    }
);

text_enum!(
    /// A customer's segment.
    Segment {
        LargeGlobal => "large_global" / "Large global",
        SmallLocal => "small_local" / "Small local",
        EndUser => "end_user" / "End user",
    }
);

text_enum!(
    /// A user's role; every role belongs to one organisation kind.
    Role {
        Admin => "admin" / "Administrator",
        PartnerManager => "partner_manager" / "Partner manager",
        SupportEngineer => "support_engineer" / "Support engineer",
        PartnerAdmin => "partner_admin" / "Partner administrator",
        PartnerUser => "partner_user" / "Partner user",
        CustomerAdmin => "customer_admin" / "Customer administrator",
        CustomerUser => "customer_user" / "Customer user",
    }
);

impl Role {
    /// The organisation kind this role lives in.
    pub fn org_kind(self) -> OrgKind {
        match self {
            Role::Admin | Role::PartnerManager | Role::SupportEngineer => OrgKind::Supplier,
            Role::PartnerAdmin | Role::PartnerUser => OrgKind::Partner,
            Role::CustomerAdmin | Role::CustomerUser => OrgKind::Customer,
        }
    }

    /// The roles that fit an organisation kind.
    pub fn for_org_kind(kind: OrgKind) -> Vec<Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(|r| r.org_kind() == kind)
            .collect()
    }
}

/// The signed-in user, as the browser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SessionUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: OrgKind,
}

/// An organisation with what people need to recognise it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub partner_kind: Option<PartnerKind>,
    pub segment: Option<Segment>,
    pub assigned_partner_id: Option<i64>,
    pub assigned_partner_name: Option<String>,
    pub active: bool,
    pub user_count: i64,
}

impl Organisation {
    /// "Reseller", "Small local customer", "Supplier".
    pub fn description(&self) -> String {
        match (self.kind, self.partner_kind, self.segment) {
            (OrgKind::Partner, Some(k), _) => format!("{} partner", k.label()),
            (OrgKind::Customer, _, Some(s)) => format!("{} customer", s.label()),
            (k, _, _) => k.label().to_string(),
        }
    }
}

/// A user as an administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: OrgKind,
    pub active: bool,
    pub last_login_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_fit_org_kinds() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        assert_eq!(
            Role::for_org_kind(OrgKind::Partner),
            vec![Role::PartnerAdmin, Role::PartnerUser]
        );
        assert_eq!(Role::for_org_kind(OrgKind::Supplier).len(), 3);
        assert_eq!(Role::parse("root"), None);
    }
}
