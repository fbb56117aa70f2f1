//! Managing accounts: the rules for user names and passwords, and the changes both the admin
//! users page and the `pykb user` commands make. Every change that ends access (a new
//! password, disabling) also ends the user's sessions, in the same transaction.

use crate::auth::hash_password;
use crate::db::{self, Db, users};
use crate::domain::{MIN_PASSWORD_CHARS, Role};

pub const MAX_USERNAME_CHARS: usize = 64;
/// Argon2 takes any length, but a megabyte "password" is only a way to burn our CPU.
pub const MAX_PASSWORD_CHARS: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Something the person typed breaks a rule; `field` is the form field at fault.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("there is no user named {0:?}")]
    NoSuchUser(String),
    #[error(
        "{0} is the last enabled admin; make another user an admin first, or nobody could manage accounts"
    )]
    LastAdmin(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AccountError {
    fn from(err: sqlx::Error) -> Self {
        AccountError::Internal(err.into())
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> AccountError {
    AccountError::Invalid {
        field,
        message: message.into(),
    }
}

/// A user name: 1 to 64 letters, digits, dots, hyphens or underscores (they appear in logs and
/// on pages, so nothing that needs escaping or could pass for something else).
pub fn check_username(name: &str) -> Result<&str, AccountError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid("username", "A user name is required."));
    }
    if name.chars().count() > MAX_USERNAME_CHARS {
        return Err(invalid(
            "username",
            format!("A user name has at most {MAX_USERNAME_CHARS} characters."),
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(invalid(
            "username",
            "Use only letters, digits, dots, hyphens and underscores in a user name.",
        ));
    }
    Ok(name)
}

pub fn check_password(password: &str) -> Result<(), AccountError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(invalid(
            "password",
            format!(
                "A password needs at least {MIN_PASSWORD_CHARS} characters; a few words in a row make a good one."
            ),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(invalid(
            "password",
            format!("A password has at most {MAX_PASSWORD_CHARS} characters."),
        ));
    }
    Ok(())
}

/// Creates an account; returns its id.
pub async fn add(db: &Db, username: &str, password: &str, role: Role) -> Result<i64, AccountError> {
    let username = check_username(username)?;
    check_password(password)?;
    let hash = hash_password(password.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    if users::by_name(&mut tx, username).await?.is_some() {
        return Err(invalid(
            "username",
            format!("There is already a user named {username}; choose another name."),
        ));
    }
    let id = users::insert(&mut tx, username, &hash, role, db::now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets a new password and ends the user's sessions.
pub async fn set_password(db: &Db, user_id: i64, password: &str) -> Result<(), AccountError> {
    check_password(password)?;
    let hash = hash_password(password.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    if !users::set_password(&mut tx, user_id, &hash).await? {
        return Err(AccountError::NoSuchUser(format!("#{user_id}")));
    }
    tx.commit().await?;
    Ok(())
}

/// Disables an account (ending its sessions) or enables it again. The last enabled admin
/// cannot be disabled.
pub async fn set_disabled(db: &Db, user_id: i64, disabled: bool) -> Result<(), AccountError> {
    let mut tx = db.begin_write().await?;
    let Some(user) = users::by_id(&mut tx, user_id).await? else {
        return Err(AccountError::NoSuchUser(format!("#{user_id}")));
    };
    if disabled
        && user.role == Role::Admin
        && users::other_enabled_admins(&mut tx, user_id).await? == 0
    {
        return Err(AccountError::LastAdmin(user.username));
    }
    users::set_disabled(&mut tx, user_id, disabled).await?;
    tx.commit().await?;
    Ok(())
}

/// The id of the user with this name (any case).
pub async fn id_of(db: &Db, username: &str) -> Result<i64, AccountError> {
    users::by_name(&mut db.acquire().await?, username.trim())
        .await?
        .map(|user| user.id)
        .ok_or_else(|| AccountError::NoSuchUser(username.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_plain_and_short() {
        assert_eq!(
            check_username("  ada.lovelace_1-x ").unwrap(),
            "ada.lovelace_1-x"
        );
        for bad in ["", "  ", "a b", "<script>", "é", &"a".repeat(65)] {
            assert!(check_username(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_have_a_minimum_and_a_sane_maximum() {
        assert!(check_password("short").is_err());
        assert!(check_password("ten chars!").is_ok());
        assert!(check_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_err());
    }
}
