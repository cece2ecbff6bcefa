fn main() -> std::process::ExitCode {
    golive_core::cli::main()
}
