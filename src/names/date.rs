//! Calendar dates as the front matter writes them: `YYYY-MM-DD`.

use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// The months' English names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: u16 = s[0..4].parse().ok()?;
        let month: u8 = s[5..7].parse().ok()?;
        let day: u8 = s[8..10].parse().ok()?;
        let days = days_in(year, month)?;
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// `9 April 2008`, as GOV.UK writes dates.
    pub fn long(&self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month) - 1],
            self.year
        )
    }

    /// RFC 3339 midnight UTC, for Atom.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00Z")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How many days month `month` (1 to 12) of `year` has; `None` for no month.
fn days_in(year: u16, month: u8) -> Option<u8> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if leap => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// What kind of mistake a text that is not a date makes; the resolve stage gives each its
/// diagnostic code, since the ground floor knows nothing of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    /// Not written as YYYY-MM-DD.
    Format,
    /// YYYY-MM-DD in shape, but no day of the calendar.
    NoSuchDay,
}

/// Why a text is not a date ntg reads, in a writer's words.
#[derive(Debug, PartialEq)]
pub struct NotADate {
    pub mistake: Mistake,
    pub message: String,
    /// How to write the date, where the day meant can be seen.
    pub help: Option<String>,
}

impl NotADate {
    fn new(mistake: Mistake, message: String, help: Option<String>) -> NotADate {
        NotADate {
            mistake,
            message,
            help,
        }
    }
}

/// Reads `s` as a date, or says why it is not one. Day-first dates (`10/03/2009`,
/// `10-03-2009`, `10.03.2009`, `10 March 2009`) are read as UK writers mean them, day then
/// month, and the help gives the same day as YYYY-MM-DD.
pub fn read(s: &str) -> Result<Date, NotADate> {
    if let Some(date) = Date::parse(s) {
        return Ok(date);
    }
    let numbers: Vec<&str> = s.split('-').collect();
    let lengths: Vec<usize> = numbers.iter().map(|n| n.len()).collect();
    if lengths == [4, 2, 2] && numbers.concat().bytes().all(|b| b.is_ascii_digit()) {
        // YYYY-MM-DD in shape: the day does not exist, or day and month are swapped.
        let swapped = format!("{}-{}-{}", numbers[0], numbers[2], numbers[1]);
        let (year, month) = (numbers[0].parse().ok(), numbers[1].parse().ok());
        let help = match (Date::parse(&swapped), year.zip(month)) {
            (Some(d), _) => format!("if it is {}, write it month first: {d}", d.long()),
            (None, Some((y, m))) if let Some(days) = days_in(y, m) => {
                format!("{} {y} has {days} days", MONTHS[usize::from(m) - 1])
            }
            _ => "write the month (01 to 12) second and the day of the month last".into(),
        };
        return Err(NotADate::new(
            Mistake::NoSuchDay,
            format!("`{s}` is not a day of the calendar"),
            Some(help),
        ));
    }
    if let Some((day, month, year)) = day_first(s) {
        let date = |day: &str, month: &str| Date::parse(&format!("{year}-{month:0>2}-{day:0>2}"));
        if let Some(d) = date(day, &month) {
            return Err(NotADate::new(
                Mistake::Format,
                format!("write dates as {d}"),
                Some(if s.contains(char::is_alphabetic) {
                    format!("ntg reads dates year first, as YYYY-MM-DD: date: {d}")
                } else {
                    format!(
                        "`{s}` is {}, day first; ntg reads dates year first, as YYYY-MM-DD: \
                         date: {d}",
                        d.long()
                    )
                }),
            ));
        }
        let help = date(&month, day).map(|d| {
            format!(
                "`{s}` is no day read day first, as UK dates are; if it is {}, write date: {d}",
                d.long()
            )
        });
        return Err(NotADate::new(
            Mistake::Format,
            "write dates as YYYY-MM-DD, year first".into(),
            help,
        ));
    }
    Err(NotADate::new(
        Mistake::Format,
        format!("`{s}` is not a date in the form YYYY-MM-DD"),
        None,
    ))
}

/// The day, month (as digits) and year of a day-first date: `10/03/2009`, `10-3-2009`,
/// `10.03.2009`, `10 March 2009` or `10 Mar 2009`.
fn day_first(s: &str) -> Option<(&str, String, &str)> {
    let digits = |t: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    let parts: Vec<&str> = ['/', '-', '.']
        .into_iter()
        .map(|sep| s.split(sep).collect::<Vec<_>>())
        .find(|p| p.len() == 3)
        .unwrap_or_else(|| s.split_whitespace().collect());
    let [day, month, year] = parts[..] else {
        return None;
    };
    if !digits(day, 1..=2) || !digits(year, 4..=4) {
        return None;
    }
    let month = if digits(month, 1..=2) {
        month.to_string()
    } else {
        let name = month.trim_end_matches(['.', ',']).to_lowercase();
        let n = MONTHS.iter().position(|m| {
            let m = m.to_lowercase();
            name.len() >= 3 && m.starts_with(&name)
        })?;
        (n + 1).to_string()
    };
    Some((day, month, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks_dates() {
        assert_eq!(Date::parse("2008-04-09").unwrap().long(), "9 April 2008");
        assert!(Date::parse("2008-02-29").is_some());
        assert!(Date::parse("2009-02-29").is_none());
        assert!(Date::parse("2009-13-01").is_none());
        assert!(Date::parse("9 April 2008").is_none());
    }

    #[test]
    fn day_first_dates_are_read_as_uk_writers_mean_them() {
        for s in [
            "10/03/2009",
            "10-03-2009",
            "10.03.2009",
            "10/3/2009",
            "10 March 2009",
        ] {
            let e = read(s).unwrap_err();
            assert_eq!(
                (e.mistake, e.message.as_str()),
                (Mistake::Format, "write dates as 2009-03-10")
            );
            assert!(e.help.unwrap().ends_with("date: 2009-03-10"), "{s}");
        }
        // Month first, as in the US: no day read day first, so the help asks.
        let e = read("03/13/2009").unwrap_err();
        assert_eq!(e.message, "write dates as YYYY-MM-DD, year first");
        assert!(
            e.help
                .unwrap()
                .ends_with("if it is 13 March 2009, write date: 2009-03-13")
        );
    }

    #[test]
    fn other_mistakes_say_what_is_wrong() {
        let e = read("2009-02-29").unwrap_err();
        assert_eq!(
            (e.mistake, e.message.as_str()),
            (
                Mistake::NoSuchDay,
                "`2009-02-29` is not a day of the calendar"
            )
        );
        assert_eq!(e.help.as_deref(), Some("February 2009 has 28 days"));
        let e = read("2009-13-01").unwrap_err();
        assert_eq!(
            e.help.as_deref(),
            Some("if it is 13 January 2009, write it month first: 2009-01-13")
        );
        let e = read("soon").unwrap_err();
        assert_eq!((e.mistake, e.help), (Mistake::Format, None));
        assert_eq!(read("2008-05-14"), Ok(Date::parse("2008-05-14").unwrap()));
    }
}
