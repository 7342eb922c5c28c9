//! `#[access(...)]`: states a server function's access once, next to it.
//!
//! ```ignore
//! #[access(ManageUsers)]            // or #[access(public)]
//! #[server(prefix = "/api", endpoint = "users/list")]
//! pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
//!     // `session` (the checked caller) is in scope here.
//! }
//! ```
//!
//! From that one statement the macro derives both halves of the check:
//! - the body starts with the guard, so it cannot be left out or name the wrong
//!   function: `let session = guard::enter::<ListUsers>(access)?;` for a permission,
//!   `let caller = guard::public::<Login>();` for a public function;
//! - a registry entry (`inventory`) with the function's path and access, from which
//!   the HTTP layer builds its table, plus a probe that calls the function with
//!   default arguments so a test can call every function as every role in-process.
//!
//! After the access, words state what else the guard needs to know, so that no
//! list elsewhere names the function: `upload` (a multipart body up to the
//! upload limit), `long_text` (a form body up to the long-text limit),
//! `before_password_change` / `before_second_factor` (callable while that step
//! of the account is pending), e.g. `#[access(SignedIn, before_password_change)]`.
//!
//! It must sit above `#[server]`, and every argument type must implement `Default`
//! (but for an upload's `MultipartData`, whose probe runs the guard alone).

use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::{parse_macro_input, Ident, ItemFn, Token};

#[proc_macro_attribute]
pub fn access(attr: TokenStream, item: TokenStream) -> TokenStream {
    let words =
        parse_macro_input!(attr with Punctuated::<Ident, Token![,]>::parse_separated_nonempty);
    let mut words = words.into_iter();
    let Some(spec) = words.next() else {
        return syn::Error::new(
            proc_macro2::Span::call_site(),
            "#[access(..)] needs an access",
        )
        .to_compile_error()
        .into();
    };
    // What else the guard must know of the function: its body class and
    // whether it stays open while an account step is pending.
    let mut body_class = quote!(crate::platform::guard::Body::Form);
    let mut gate = quote!(crate::platform::guard::Gate::Complete);
    for w in words {
        match w.to_string().as_str() {
            "upload" => body_class = quote!(crate::platform::guard::Body::Upload),
            "long_text" => body_class = quote!(crate::platform::guard::Body::LongText),
            "before_password_change" => {
                gate = quote!(crate::platform::guard::Gate::BeforePasswordChange)
            }
            "before_second_factor" => {
                gate = quote!(crate::platform::guard::Gate::BeforeSecondFactor)
            }
            _ => {
                return syn::Error::new_spanned(
                    &w,
                    "expected upload, long_text, before_password_change or before_second_factor",
                )
                .to_compile_error()
                .into()
            }
        }
    }
    let mut func = parse_macro_input!(item as ItemFn);
    if !func.attrs.iter().any(|a| a.path().is_ident("server")) {
        return syn::Error::new_spanned(
            &func.sig.ident,
            "#[access(..)] goes directly above #[server(..)]",
        )
        .to_compile_error()
        .into();
    }
    let fn_name = func.sig.ident.clone();
    let server_type = format_ident!("{}", pascal_case(&fn_name.to_string()));
    let guard = quote!(crate::platform::guard);
    let (access, binding) = if spec == "public" {
        (
            quote!(#guard::Access::Public),
            quote!(let caller = #guard::public::<#server_type>();),
        )
    } else {
        let access = quote!(#guard::Access::Requires(crate::identity::Permission::#spec));
        let binding = quote!(let session = #guard::enter::<#server_type>(#access)?;);
        (access, binding)
    };
    let body = &func.block;
    *func.block = syn::parse_quote!({
        #[allow(unused_variables)]
        #binding
        #body
    });
    let probe = format_ident!("__access_probe_{}", fn_name);
    let defaults = func
        .sig
        .inputs
        .iter()
        .map(|_| quote!(::core::default::Default::default()));
    // An upload's argument (a multipart stream) has no default: its probe runs
    // the same guard statement the function body starts with.
    let takes_upload = func.sig.inputs.iter().any(|arg| match arg {
        syn::FnArg::Typed(t) => quote!(#t).to_string().contains("MultipartData"),
        syn::FnArg::Receiver(_) => false,
    });
    let probe_body = if takes_upload {
        quote!(::std::boxed::Box::pin(async {
            #[allow(unused_variables)]
            #binding
            Ok(())
        }))
    } else {
        quote!(::std::boxed::Box::pin(async { #fn_name(#(#defaults),*).await.map(|_| ()) }))
    };
    quote! {
        #func

        #[cfg(feature = "ssr")]
        #[doc(hidden)]
        fn #probe() -> #guard::ProbeFuture {
            #probe_body
        }

        #[cfg(feature = "ssr")]
        ::inventory::submit! {
            #guard::Policy::new::<#server_type>(#access, #probe).with(#body_class, #gate)
        }
    }
    .into()
}

/// `list_users` → `ListUsers`, as `#[server]` names a function's type.
fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
