//! `text_enum!`: the vocabulary enums of DOMAIN.md (roles, organisation kinds,
//! segments…) with one stored/wire form, one label people read, and decoding
//! from the database. Each domain declares its own enums with it.

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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
        impl sqlx::Type<crate::platform::db::Db> for $name {
            fn type_info() -> <crate::platform::db::Db as sqlx::Database>::TypeInfo {
                <String as sqlx::Type<crate::platform::db::Db>>::type_info()
            }
            fn compatible(ty: &<crate::platform::db::Db as sqlx::Database>::TypeInfo) -> bool {
                <String as sqlx::Type<crate::platform::db::Db>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, crate::platform::db::Db> for $name {
            fn decode(
                value: <crate::platform::db::Db as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let s = <&str as sqlx::Decode<crate::platform::db::Db>>::decode(value)?;
                Self::parse(s).ok_or_else(|| format!("unknown {} '{s}'", stringify!($name)).into())
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, crate::platform::db::Db> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <crate::platform::db::Db as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<crate::platform::db::Db>>::encode(self.as_str(), buf)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

pub(crate) use text_enum;
