include!("src/command_table.rs");

/// The table's command names, as the ACL wants them.
macro_rules! names {
    (
        engine { $(
            $(#[$doc:meta])*
            $name:ident ($($arg:ident: $ty:ty),* $(,)?) -> $answer:ty => |$engine:ident| $body:expr;
        )* }
        custom { $(
            $(#[$custom_doc:meta])*
            $custom:ident ($($custom_arg:ident: $custom_ty:ty),* $(,)?) -> $custom_answer:ty;
        )* }
    ) => {
        &[$(stringify!($name),)* $(stringify!($custom),)*]
    };
}

const COMMANDS: &[&str] = with_commands!(names);

fn main() {
    // App commands are declared so capabilities/main.json grants each one explicitly.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
