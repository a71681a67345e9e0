fn main() -> std::process::ExitCode {
    println!("jicha");
    std::process::ExitCode::SUCCESS
}
