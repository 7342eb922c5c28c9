//! The server's command line: no arguments serves; `create-admin` creates the
//! first administrator of an empty production database.

pub const USAGE: &str = "usage:
  server                 serve Careport (configured by CAREPORT_* variables)
  server create-admin --email <address> --name <name> [--organisation <supplier name>]
                         create the first administrator; the password is read from
                         standard input (one line), e.g.
                         read -rs PW && printf '%s\\n' \"$PW\" | server create-admin --email ...";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    CreateAdmin {
        email: String,
        name: String,
        organisation: String,
    },
}

/// Reads the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some(first) = args.first() else {
        return Ok(Command::Serve);
    };
    if first != "create-admin" {
        return Err(format!("unknown command '{first}'\n{USAGE}"));
    }
    let (mut email, mut name, mut organisation) = (None, None, None);
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let slot = match flag.as_str() {
            "--email" => &mut email,
            "--name" => &mut name,
            "--organisation" => &mut organisation,
            other => return Err(format!("unknown option '{other}'\n{USAGE}")),
        };
        *slot = Some(
            rest.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?
                .clone(),
        );
    }
    Ok(Command::CreateAdmin {
        email: email.ok_or_else(|| format!("--email is required\n{USAGE}"))?,
        name: name.ok_or_else(|| format!("--name is required\n{USAGE}"))?,
        organisation: organisation.unwrap_or_else(|| "Supplier".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_commands() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
        assert_eq!(
            parse(&args(&[
                "create-admin",
                "--email",
                "a@b.example",
                "--name",
                "Ann",
                "--organisation",
                "Nordlift"
            ])),
            Ok(Command::CreateAdmin {
                email: "a@b.example".into(),
                name: "Ann".into(),
                organisation: "Nordlift".into()
            })
        );
        assert!(parse(&args(&["create-admin", "--email"]))
            .unwrap_err()
            .contains("needs a value"));
        assert!(parse(&args(&["create-admin", "--name", "Ann"]))
            .unwrap_err()
            .contains("--email is required"));
        assert!(parse(&args(&["drop-database"]))
            .unwrap_err()
            .contains("unknown command"));
    }
}
