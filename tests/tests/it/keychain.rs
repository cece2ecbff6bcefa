//! The real OS keychain (Secret Service on Linux). Needs an unlocked keyring on a session
//! bus, so it is ignored by default; scripts/test.sh runs it under dbus-run-session with
//! gnome-keyring. It proves the secret really persisted: another process (secret-tool)
//! reads it back, which keyring's silent mock store could never satisfy.

use std::process::Command;

use golive_core::secrets::{KeyringStore, Secret, SecretKind, SecretStore, KEYCHAIN_SERVICE};

#[test]
#[ignore = "needs a Secret Service: run scripts/test.sh"]
fn secrets_round_trip_through_the_secret_service() {
    let store = KeyringStore::new();
    let project = format!("keychain-test-{}", std::process::id());
    let kind = SecretKind::ClerkSecretKey;
    let value = Secret::new("sk_live_keychainRoundTrip000000000001");

    assert_eq!(store.get(&project, kind).unwrap(), None);
    store.set(&project, kind, &value).unwrap();
    assert_eq!(store.get(&project, kind).unwrap(), Some(value.clone()));

    let account = format!("{project}:{}", kind.as_str());
    let out = Command::new("secret-tool")
        .args(["lookup", "service", KEYCHAIN_SERVICE, "username", &account])
        .output()
        .expect("secret-tool (libsecret-tools) is installed");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), value.expose());

    // Another project's entry is separate.
    assert_eq!(store.get("another-project", kind).unwrap(), None);

    store.delete(&project, kind).unwrap();
    assert_eq!(store.get(&project, kind).unwrap(), None);
    store.delete(&project, kind).unwrap();
}
