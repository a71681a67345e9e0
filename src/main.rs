fn main() -> std::process::ExitCode {
    jicha::cli::main()
}
