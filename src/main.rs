//! The `ntg` command line: parses arguments, calls the library, prints diagnostics.
//! Exit status: 0 success, 1 the content has errors, 2 the command line is wrong.

/// The allocator of the binary (not of the library, whose users choose their own): see
/// the README's table of crates for why.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use ntg::Options;
use ntg::diagnostic::{self, Diagnostic, Format, Severity};
use ntg::newdoc::{self, NewError};
use ntg::resolve::content::Section;
use ntg::write::Left;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "ntg",
    version,
    about = "Builds the Narrowing the Gap effective-practice digest"
)]
struct Cli {
    /// The site's root folder (holding site.yaml, content/ and data/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the whole site into public/ (or --output).
    Build {
        /// Where to write the site; replaced whole, and only if the build succeeds.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace --output even if it is a folder ntg did not write (and delete all it holds).
        #[arg(long)]
        force: bool,
        /// Overrides site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage of the build took.
        #[arg(long)]
        timings: bool,
        /// Build from nothing, ignoring what earlier builds kept in .ntg-cache/.
        #[arg(long)]
        no_cache: bool,
        /// Fail on any warning as on an error, leaving the output as it was.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build the site into memory and serve it on 127.0.0.1, with pages linked there,
    /// rebuilt as its files are saved, and open tabs reloaded.
    Serve {
        /// The port to listen on; 0 picks a free one (the address is printed).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the served site in the system's browser.
        #[arg(long)]
        open: bool,
        /// Print how long each stage of each rebuild took.
        #[arg(long)]
        timings: bool,
    },
    /// Check everything a build checks, links and anchors included, without writing.
    Check {
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Check as a build with --drafts would.
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage of the check took.
        #[arg(long)]
        timings: bool,
        /// Fail (exit 1) on any warning as on an error.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Search the site a build left in public/ (or --output), as its search page does.
    Search {
        query: String,
        /// The built site to search, as given to `ntg build --output`.
        #[arg(long)]
        output: Option<PathBuf>,
        #[arg(long)]
        theme: Vec<String>,
        #[arg(long)]
        group: Vec<String>,
        #[arg(long)]
        outcome: Vec<String>,
        /// case-study, hypothesis, evidence or page.
        #[arg(long = "type")]
        kind: Vec<String>,
        /// The slug of a region's name, such as north-west.
        #[arg(long)]
        region: Vec<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: SearchFormat,
        /// How many results to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Print the terms search makes of the text on standard input, one line of terms per
    /// input line: what a word must be for a query to find it.
    Analyze,
    /// Write a new document with every required key, ready to fill in.
    New {
        #[arg(value_enum)]
        kind: NewKind,
        title: String,
    },
}

impl Command {
    /// Whether the command reads the site's sources (`search` reads a built site, `analyze`
    /// nothing).
    fn reads_site(&self) -> bool {
        matches!(
            self,
            Command::Build { .. }
                | Command::Check { .. }
                | Command::Serve { .. }
                | Command::New { .. }
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SearchFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    CaseStudy,
    Hypothesis,
    Evidence,
}

/// Writes `text` to standard output. A reader that has gone (`ntg search x | head -1`) is
/// not an error of ours: the rest is dropped rather than panicking. Returns whether it all
/// went out.
fn emit(text: &str) -> bool {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .is_ok()
}

fn print_diagnostics(diags: &[Diagnostic], format: Format) {
    let text = diagnostic::render(diags, format);
    match format {
        // Machines read stdout; people read errors on stderr.
        Format::Human => eprint!("{text}"),
        Format::Json | Format::Sarif | Format::Github => {
            emit(&text);
        }
    }
}

/// With `--deny-warnings`, the last line of a report that failed for its warnings alone
/// (`diags`, what the command reported): what a reader who sees no error needs to know.
fn denied(diags: &[Diagnostic]) -> Option<String> {
    let n = diags.iter().filter(|d| !d.is_error()).count();
    (n > 0 && !diagnostic::has_errors(diags))
        .then(|| format!("{} denied by --deny-warnings", Severity::Warning.counted(n)))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root;
    // Outside a site, the build would report each file a site needs as missing, which reads
    // as a broken site; one line says it is the wrong folder. It exits as a wrong command
    // line does, since `--root` (or where ntg was run) is what is wrong.
    if cli.command.reads_site()
        && let Err(not_a_site) = ntg::inputs::site_at(&root)
    {
        eprintln!("error: {not_a_site}");
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Serve {
            port,
            drafts,
            open,
            timings,
        } => {
            let settings = ntg::serve::Settings {
                port,
                drafts,
                open,
                timings,
            };
            match ntg::serve::run(&root, &settings) {
                Ok(()) => ExitCode::SUCCESS,
                Err(ntg::serve::ServeError(why)) => {
                    eprintln!("error: {why}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Build {
            output,
            force,
            base_url,
            drafts,
            timings,
            no_cache,
            deny_warnings,
        } => {
            let started = Instant::now();
            let out = output.unwrap_or_else(|| root.join("public"));
            let options = Options {
                base_url,
                drafts,
                no_cache,
                deny_warnings,
            };
            match ntg::build(&root, &out, &options, force) {
                Ok(b) => {
                    print_diagnostics(&b.warnings, Format::Human);
                    if timings {
                        eprint!("{}", b.timings_text());
                    }
                    eprintln!(
                        "built {} pages ({} files) from {} documents into {} in {:.2} s",
                        b.pages,
                        b.files,
                        b.documents,
                        out.display(),
                        started.elapsed().as_secs_f64()
                    );
                    // Warnings of the content fail before the swap; these are the build's
                    // own (a leftover it could not remove), found once the site was in place.
                    if let Some(line) = denied(&b.warnings).filter(|_| deny_warnings) {
                        eprintln!("{line}; the new site is in place");
                        return ExitCode::from(1);
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    print_diagnostics(&failure.diagnostics, Format::Human);
                    let out = out.display();
                    match failure.output {
                        Left::Refused => eprintln!("build refused; nothing was written"),
                        Left::Unchanged { existed: true } => {
                            eprintln!("build failed; {out} left as it was")
                        }
                        Left::Unchanged { existed: false } => {
                            eprintln!("build failed; {out} was not created")
                        }
                        Left::Aside(old) => eprintln!(
                            "build failed; the previous site was moved to {} and could not be moved back: move it to {out}",
                            old.display()
                        ),
                    }
                    if let Some(line) = denied(&failure.diagnostics) {
                        eprintln!("{line}");
                    }
                    ExitCode::from(1)
                }
            }
        }
        Command::Check {
            format,
            drafts,
            timings,
            deny_warnings,
        } => match ntg::check(
            &root,
            &Options {
                drafts,
                deny_warnings,
                ..Options::default()
            },
        ) {
            Ok(b) => {
                // Warnings only: printed in the format asked for (`[]` in JSON when none).
                print_diagnostics(&b.warnings, format);
                if timings {
                    eprint!("{}", b.timings_text());
                }
                eprintln!("checked {} documents: no errors", b.documents);
                ExitCode::SUCCESS
            }
            Err(diags) => {
                print_diagnostics(&diags, format);
                if let Some(line) = denied(&diags) {
                    eprintln!("{line}");
                }
                ExitCode::from(1)
            }
        },
        Command::Search {
            query,
            output,
            theme,
            group,
            outcome,
            kind,
            region,
            format,
            limit,
        } => {
            let filters = [theme, group, outcome, kind, region];
            let out = output.unwrap_or_else(|| root.join("public"));
            match ntg::query(&root, &out, &query, &filters, limit) {
                Ok(answer) => {
                    let text = match format {
                        SearchFormat::Json => answer.json(),
                        SearchFormat::Human => answer.human(),
                    };
                    emit(&text);
                    ExitCode::SUCCESS
                }
                Err(ntg::search::SearchError::Usage(m)) => {
                    eprintln!("error: {m}");
                    ExitCode::from(2)
                }
                Err(ntg::search::SearchError::Site(m)) => {
                    eprintln!("error: {m}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Analyze => {
            let mut analyzer = ntg::search::analyzer::analyzer();
            for line in std::io::stdin().lines().map_while(Result::ok) {
                let terms = ntg::search::analyzer::terms(&mut analyzer, &line).join(" ");
                if !emit(&format!("{terms}\n")) {
                    break;
                }
            }
            ExitCode::SUCCESS
        }
        Command::New { kind, title } => {
            let section = match kind {
                NewKind::CaseStudy => Section::CaseStudies,
                NewKind::Hypothesis => Section::Hypotheses,
                NewKind::Evidence => Section::Evidence,
            };
            let inputs = ntg::inputs::Disk { root: &root }.named(&[ntg::resolve::TAXONOMIES]);
            let tax = match ntg::resolve::taxonomies(&inputs) {
                Ok(t) => t,
                Err(diags) => {
                    print_diagnostics(&diags, Format::Human);
                    return ExitCode::from(1);
                }
            };
            match newdoc::write(&root, section, &title, &newdoc::today(), &tax) {
                Ok(written) => {
                    if written.fallback {
                        eprintln!(
                            "note: nothing of the title `{}` folds to a-z or 0-9, so the file is named by its type and a hash of the title; rename it, or set `slug:`, for a readable address",
                            ntg::diagnostic::printable(&title)
                        );
                    }
                    println!("{}", written.path.display());
                    ExitCode::SUCCESS
                }
                Err(NewError::EmptyTitle) => {
                    eprintln!("error: the title is empty: write the document's title in quotes");
                    ExitCode::from(2)
                }
                Err(NewError::Exists(p)) => {
                    eprintln!("error: {} already exists", p.display());
                    ExitCode::from(1)
                }
                Err(NewError::Io(e)) => {
                    eprintln!("error: cannot write the new document: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
