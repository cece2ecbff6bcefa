include!("src/command_names.rs");

fn main() {
    // App commands are declared so capabilities/main.json grants each one explicitly.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
