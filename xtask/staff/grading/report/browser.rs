//! The report in a real browser: headless Chromium renders a sample class's page, takes
//! a screenshot and dumps the DOM it built, whose numbers must be the input's.
//!
//! Without Chromium on the machine the test says so and passes, unless
//! `AWAITLINGS_REQUIRE_BROWSER` is set (CI sets it): then it fails. Every browser run is
//! killed after 60 s. `AWAITLINGS_REPORT_SCREENSHOT=FILE.png` keeps a copy of the screenshot
//! there, and of the page beside it (`FILE.html`).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::tests::sample;
use super::{Class, html, total};
use crate::grading::grade::points;

const BROWSERS: [&str; 2] = ["chromium", "chromium-browser"];
const LIMIT: Duration = Duration::from_secs(60);

/// The first of `BROWSERS` on the `PATH`.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    BROWSERS.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| is_executable(candidate))
    })
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    path.is_file()
}

/// Runs headless Chromium on `page` with `args`, in a profile of its own under `dir`,
/// and returns its standard output. The browser and every process it started are
/// killed once it ends, or at `LIMIT`.
fn run(browser: &Path, dir: &Path, what: &str, args: &[String], page: &Path) -> String {
    let profile = dir.join(format!("profile-{what}"));
    let stdout = dir.join(format!("{what}.out"));
    let stderr = dir.join(format!("{what}.err"));
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--hide-scrollbars",
            "--window-size=1200,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap());
    xtask::engine::platform::own_group(&mut command);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let group = i32::try_from(child.id()).unwrap_or(0);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() >= LIMIT {
            break None;
        }
        thread::sleep(Duration::from_millis(50));
    };
    // Whatever the browser left running (renderers, zygotes) goes with it.
    xtask::engine::signals::kill_group(group);
    let _ = child.kill();
    let _ = child.wait();
    let errors = fs::read_to_string(&stderr).unwrap_or_default();
    match status {
        None => panic!(
            "chromium ({what}) did not finish within {} s and was killed; it said:\n{errors}",
            LIMIT.as_secs()
        ),
        Some(status) if !status.success() => {
            panic!("chromium ({what}) failed ({status}); it said:\n{errors}")
        }
        Some(_) => fs::read_to_string(&stdout).unwrap(),
    }
}

/// The attributes of every `<NAME …>` start tag in serialised HTML whose `class`
/// attribute holds `class`. Values are as the DOM holds them (entities decoded).
fn tags(html: &str, name: &str, class: &str) -> Vec<BTreeMap<String, String>> {
    let open = format!("<{name}");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        rest = &rest[at + open.len()..];
        if !rest.starts_with([' ', '>', '\n', '\t']) {
            continue;
        }
        let mut attributes = BTreeMap::new();
        let mut s = rest.trim_start();
        while !s.starts_with('>') && !s.starts_with("/>") && !s.is_empty() {
            let end = s.find(['=', ' ', '>', '/']).unwrap_or(s.len());
            let key = s[..end].to_string();
            s = &s[end..];
            let mut value = String::new();
            if let Some(quoted) = s.strip_prefix("=\"") {
                let close = quoted.find('"').expect("a closing quote");
                value = decode(&quoted[..close]);
                s = &quoted[close + 1..];
            } else if s.starts_with('/') && !s.starts_with("/>") {
                s = &s[1..];
            }
            if !key.is_empty() {
                attributes.insert(key, value);
            }
            s = s.trim_start();
        }
        rest = s;
        let classes = attributes.get("class").map(String::as_str).unwrap_or("");
        if classes.split(' ').any(|c| c == class) {
            found.push(attributes);
        }
    }
    found
}

fn decode(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// A test, as the page names it: its kata, whether it is hidden, its name.
type TestKey = (String, bool, String);

/// What the page should say: each student's total, and each test's share.
fn expected(class: &Class) -> (BTreeMap<String, String>, BTreeMap<TestKey, String>) {
    let totals = class
        .students
        .iter()
        .map(|s| {
            let points = if s.error.is_some() {
                points(0.0)
            } else {
                points(total(s))
            };
            (s.name.clone(), points)
        })
        .collect();
    let mut counts: BTreeMap<TestKey, (usize, usize)> = BTreeMap::new();
    for student in class.students.iter().filter(|s| s.error.is_none()) {
        for kata in &student.katas {
            for test in &kata.tests {
                let entry = counts
                    .entry((kata.id.clone(), kata.hidden, test.name.clone()))
                    .or_default();
                entry.0 += usize::from(test.passed);
                entry.1 += 1;
            }
        }
    }
    let shares = counts
        .into_iter()
        .map(|(key, (passed, graded))| (key, format!("{:.2}", passed as f64 / graded as f64)))
        .collect();
    (totals, shares)
}

#[test]
fn the_report_renders_in_a_real_browser_with_the_inputs_numbers() {
    let Some(browser) = chromium() else {
        let required = std::env::var_os("AWAITLINGS_REQUIRE_BROWSER").is_some();
        assert!(
            !required,
            "AWAITLINGS_REQUIRE_BROWSER is set, and no chromium is on the PATH (looked for {}): \
             install it (`apt-get install chromium`)",
            BROWSERS.join(", ")
        );
        // Past libtest's capture, so that a plain `cargo test` shows it too.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: no chromium on the PATH (looked for {}), so the class report was not \
             rendered in a browser; set AWAITLINGS_REQUIRE_BROWSER to make this a failure",
            BROWSERS.join(", ")
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("awaitlings-report-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let _cleanup = Cleanup(dir.clone());
    let class = sample(14);
    let page = dir.join("report.html");
    fs::write(&page, html(&class)).unwrap();

    let screenshot = dir.join("report.png");
    let arg = format!("--screenshot={}", screenshot.display());
    run(&browser, &dir, "screenshot", &[arg], &page);
    let png = fs::read(&screenshot).expect("chromium wrote no screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "the screenshot is a PNG"
    );
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (1200, 1600), "the window's size");
    // A blank page of that size is about 10 KB: this one has text, a chart and tables.
    assert!(
        png.len() > 60_000,
        "the screenshot is only {} bytes: did the page render?",
        png.len()
    );
    if let Some(keep) = std::env::var_os("AWAITLINGS_REPORT_SCREENSHOT") {
        let keep = PathBuf::from(keep);
        fs::copy(&screenshot, &keep).unwrap();
        fs::copy(&page, keep.with_extension("html")).unwrap();
    }

    let dom = run(&browser, &dir, "dom", &["--dump-dom".into()], &page);
    assert!(
        dom.contains("<title>Async assignment 1 &lt;spring&gt;: class report</title>"),
        "the page's title, escaped, in:\n{}",
        &dom[..dom.len().min(500)]
    );
    assert!(!dom.contains("<script"), "nothing in the page runs");
    let (totals, shares) = expected(&class);

    let rows = tags(&dom, "tr", "student");
    let seen: BTreeMap<String, String> = rows
        .iter()
        .map(|row| (row["data-student"].clone(), row["data-total"].clone()))
        .collect();
    assert_eq!(seen, totals, "each student's total, by name");
    assert!(
        seen.contains_key("o'brien & <co>"),
        "a name comes back unharmed"
    );

    let tests = tags(&dom, "tr", "test");
    let seen: BTreeMap<TestKey, String> = tests
        .iter()
        .map(|row| {
            (
                (
                    row["data-kata"].clone(),
                    row["data-hidden"] == "true",
                    row["data-test"].clone(),
                ),
                row["data-share"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen, shares,
        "each test's share of the graded students passing it"
    );
    assert!(
        tests.iter().any(|row| row["data-hidden"] == "true"),
        "hidden tests are there, marked"
    );

    // Each known mistake the class made, counted once per student who made it.
    let made = class
        .students
        .iter()
        .flat_map(|s| &s.katas)
        .filter(|k| k.mistake.is_some())
        .count();
    assert!(made > 0, "the sample class makes a known mistake");
    let mistakes = tags(&dom, "tr", "mistake");
    let seen: Vec<(String, String, String)> = mistakes
        .iter()
        .map(|row| {
            (
                row["data-kata"].clone(),
                row["data-mistake"].clone(),
                row["data-students"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [(
            "01_how_async_works/02_countdown".to_string(),
            "sequential".to_string(),
            made.to_string()
        )],
        "the known mistake, beside its kata's tests, with how many made it"
    );
    assert!(
        dom.contains("awaits each tick &lt;in turn&gt; &amp; never \"lazily\"."),
        "the mistake in its own words, escaped"
    );

    let bins = tags(&dom, "g", "bin");
    let counted: usize = bins
        .iter()
        .map(|b| b["data-count"].parse::<usize>().unwrap())
        .sum();
    assert_eq!(counted, 14, "the chart counts every graded student once");
    let summary = &tags(&dom, "dl", "summary")[0];
    assert_eq!(
        (
            summary["data-students"].as_str(),
            summary["data-graded"].as_str()
        ),
        ("15", "14")
    );
    // Every link goes to a section that is there.
    let ids: Vec<String> = tags(&dom, "section", "student-detail")
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    assert_eq!(ids.len(), class.students.len());
    for row in &rows {
        let name = &row["data-student"];
        assert!(
            ids.contains(&format!("student-{}", super::anchor(name))),
            "{name}"
        );
    }
    println!(
        "rendered the class report in {} (screenshot {} bytes)",
        browser.display(),
        png.len()
    );
}

/// Removes the test's folder when the test ends, passed or failed.
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn reads_attributes_as_the_dom_serialises_them() {
    let html = "<tr class=\"student x\" data-student=\"o'brien &amp; &lt;co&gt;\" \
                data-total=\"1.00\"><td class=\"student\">x</td></tr><tr class=\"other\"><track>";
    let rows = tags(html, "tr", "student");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["data-student"], "o'brien & <co>");
    assert_eq!(rows[0]["data-total"], "1.00");
}
