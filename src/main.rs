fn main() -> std::process::ExitCode {
    // Read while the process has one thread (reading a umask means setting it).
    jicha::safefile::original_umask();
    jicha::cli::main()
}
