//! `pykb user add|passwd|disable|enable|list`: account management from a shell, for the first
//! editors and for the day the last admin forgets a password.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context as _;

use crate::accounts::{self, AccountError};
use crate::config::{Config, UserCommand};
use crate::db::users;

pub async fn run(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let db = super::open_existing(config).await?;
    let result = match command {
        UserCommand::Add { name, role } => {
            let password = read_password(&format!("Password for the new user {name}"))?;
            accounts::add(&db, &name, &password, role).await.map(|_| {
                println!("Created the {role} {}.", name.trim());
            })
        }
        UserCommand::Passwd { name } => {
            let id = accounts::id_of(&db, &name).await?;
            let password = read_password(&format!("New password for {name}"))?;
            accounts::set_password(&db, id, &password)
                .await
                .map(|()| println!("Changed the password of {name}; their sessions have ended."))
        }
        UserCommand::Disable { name } => {
            let id = accounts::id_of(&db, &name).await?;
            accounts::set_disabled(&db, id, true)
                .await
                .map(|()| println!("Disabled {name}; their sessions have ended."))
        }
        UserCommand::Enable { name } => {
            let id = accounts::id_of(&db, &name).await?;
            accounts::set_disabled(&db, id, false)
                .await
                .map(|()| println!("Enabled {name}."))
        }
        UserCommand::List => {
            for user in users::list(&db).await? {
                let state = if user.disabled { "disabled" } else { "enabled" };
                println!("{}\t{}\t{state}", user.username, user.role);
            }
            Ok(())
        }
    };
    db.close().await;
    result.map_err(|err| match err {
        AccountError::Internal(err) => err,
        other => anyhow::anyhow!("{other}"),
    })
}

/// One line from stdin, without its line ending. On a terminal, a prompt says what to type
/// (the text is echoed: pipe it in, e.g. from a password manager, to keep it off the screen).
fn read_password(prompt: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{prompt} (shown as you type): ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        anyhow::bail!(
            "no password on stdin: pipe one in, e.g. `printf '%s\\n' \"$PW\" | pykb user …`"
        );
    }
    Ok(password)
}
