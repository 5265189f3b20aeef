//! A child process under measurement: its output drained (the tail kept for
//! diagnostics), its memory and CPU read from `/proc`.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Lines of output kept for error messages.
const TAIL_LINES: usize = 40;

/// Output lines containing one needle (keep needles rare: every line is kept).
struct Watched {
    needle: String,
    count: AtomicUsize,
    lines: Mutex<Vec<String>>,
}

/// A running child process; killed when dropped.
pub struct Proc {
    child: Child,
    tail: Arc<Mutex<VecDeque<String>>>,
    /// Per watched needle: how many output lines contained it, and the last one.
    watched: Arc<Vec<Watched>>,
}

impl Proc {
    /// Starts `program args` with exactly `env` (plus `PATH`), in `dir` (so no
    /// developer `.env` is read). Output lines are counted for each of `watch`
    /// (see [`Proc::seen`]) and dropped, but for the last few.
    pub fn spawn(
        program: &Path,
        args: &[&str],
        env: &HashMap<String, String>,
        dir: &Path,
        watch: &[&str],
    ) -> Proc {
        let mut child = Command::new(program)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", program.display()));
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let watched: Arc<Vec<Watched>> = Arc::new(
            watch
                .iter()
                .map(|needle| Watched {
                    needle: (*needle).to_owned(),
                    count: AtomicUsize::new(0),
                    lines: Mutex::new(Vec::new()),
                })
                .collect(),
        );
        let streams: [Option<Box<dyn Read + Send>>; 2] = [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ];
        for stream in streams.into_iter().flatten() {
            let (tail, watched) = (Arc::clone(&tail), Arc::clone(&watched));
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    for watch in watched.iter() {
                        if line.contains(watch.needle.as_str()) {
                            watch
                                .lines
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push(line.clone());
                            watch.count.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
                    if tail.len() == TAIL_LINES {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            });
        }
        Proc {
            child,
            tail,
            watched,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// How many output lines so far contained `needle` (one of `watch`).
    pub fn seen(&self, needle: &str) -> usize {
        self.watched
            .iter()
            .find(|w| w.needle == needle)
            .map_or(0, |w| w.count.load(Ordering::Relaxed))
    }

    /// The output lines that contained `needle` (one of `watch`), oldest first.
    pub fn lines_seen(&self, needle: &str) -> Vec<String> {
        self.watched
            .iter()
            .find(|w| w.needle == needle)
            .map(|w| {
                w.lines
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone()
            })
            .unwrap_or_default()
    }

    /// The last lines the process wrote.
    pub fn tail(&self) -> String {
        let tail = self.tail.lock().unwrap_or_else(PoisonError::into_inner);
        tail.iter().cloned().collect::<Vec<_>>().join("\n")
    }

    /// Panics, with the output's tail, if the process has exited.
    pub fn assert_running(&mut self, what: &str) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!(
                "{what}: the process exited ({status}); its last output:\n{}",
                self.tail()
            );
        }
    }

    /// Resident set size now (`VmRSS`), in bytes.
    pub fn rss(&self) -> u64 {
        status_kib(self.pid(), "VmRSS:") * 1024
    }

    /// Peak resident set size since start (`VmHWM`), in bytes.
    pub fn peak_rss(&self) -> u64 {
        status_kib(self.pid(), "VmHWM:") * 1024
    }

    /// Threads of the process now.
    pub fn threads(&self) -> u64 {
        threads_of(self.pid())
    }

    /// User + system CPU time used so far (`utime + stime` of `/proc/PID/stat`).
    pub fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid()))
            .expect("read /proc/PID/stat");
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        let after_name = &stat[stat.rfind(')').expect("stat has a command name") + 2..];
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks: u64 =
            fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
        Duration::from_secs_f64(ticks as f64 / clock_ticks_per_second())
    }

    /// Where the resident memory is, from `/proc/PID/smaps`: RSS summed by
    /// kind of mapping (`[heap]`, `[stack]`, anonymous, this binary, other
    /// files), largest first, e.g. `anon 9.1 MiB, heap 3.0 MiB, …`.
    pub fn rss_by_mapping(&self) -> String {
        let smaps =
            std::fs::read_to_string(format!("/proc/{}/smaps", self.pid())).unwrap_or_default();
        let mut totals: Vec<(&str, u64)> = Vec::new();
        let mut kind = "anon";
        for line in smaps.lines() {
            if let Some(kib) = line.strip_prefix("Rss:") {
                let kib: u64 = kib
                    .split_whitespace()
                    .next()
                    .and_then(|k| k.parse().ok())
                    .unwrap_or(0);
                match totals.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, total)) => *total += kib,
                    None => totals.push((kind, kib)),
                }
            } else if line
                .split_whitespace()
                .next()
                .is_some_and(|f| f.contains('-'))
            {
                // A mapping's header: `start-end perms offset dev inode [path]`.
                kind = match line.split_whitespace().nth(5) {
                    None => "anon",
                    Some("[heap]") => "heap",
                    Some("[stack]") => "stack",
                    Some(path) if path.ends_with("nexudus-bot") => "binary",
                    Some(path) if path.starts_with('[') => "other",
                    Some(_) => "files",
                };
            }
        }
        totals.sort_by_key(|&(_, kib)| std::cmp::Reverse(kib));
        totals
            .iter()
            .map(|(kind, kib)| format!("{kind} {}", mib(kib * 1024)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Kills the process and waits for it.
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `kB` line of `/proc/PID/status`, in KiB.
fn status_kib(pid: u32, key: &str) -> u64 {
    let status =
        std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc/PID/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {key} in /proc/{pid}/status"))
}

/// The `Threads:` line of `/proc/PID/status`; 0 once the process is gone.
pub fn threads_of(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Threads:"))
                .and_then(|rest| rest.trim().parse().ok())
        })
        .unwrap_or(0)
}

/// `sysconf(_SC_CLK_TCK)`, asked of `getconf` (no libc binding here); 100 on Linux in practice.
fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok()?.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// The machine, for the report: core count and CPU model.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name")?.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    format!("{cores} cores (nproc), {model}")
}

/// The 1-minute load average now.
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Bytes as MiB with one decimal.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
