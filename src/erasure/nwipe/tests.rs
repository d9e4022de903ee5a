use super::lines::parse_duration;
use super::*;

#[test]
fn a_duration_too_long_to_count_is_none_not_a_wrapped_one() {
    assert_eq!(parse_duration("01:02:03"), Some(3723));
    assert_eq!(parse_duration("02:03"), Some(123));
    assert_eq!(parse_duration("18446744073709551615:59:59"), None);
    assert_eq!(parse_duration("5124095576030431:59:59"), None);
}
use proptest::prelude::*;

const TWO_DRIVES: &[u8] = include_bytes!("../../../tests/fixtures/nwipe/dodshort_two_drives.log");
const READONLY: &[u8] = include_bytes!("../../../tests/fixtures/nwipe/readonly_fail.log");

#[test]
fn a_two_drive_dod_short_run_is_two_erased_drives() {
    let log = parse(TWO_DRIVES).unwrap();
    assert_eq!(log.banner.as_deref(), Some("nwipe 0.33"));
    assert_eq!(log.method.as_deref(), Some("DoD Short"));
    assert_eq!(log.prng.as_deref(), Some("Isaac64"));
    assert_eq!(
        (log.rounds, log.blanking, log.verify),
        (Some(1), Some(true), Some(VerifyMode::AllPasses))
    );
    assert!(log.complete);
    assert_eq!(log.drives.len(), 2);
    for (drive, name) in log.drives.iter().zip(["/dev/loop0", "/dev/loop1"]) {
        assert_eq!(drive.device, name);
        assert_eq!(drive.status, DriveStatus::Erased);
        assert!(drive.succeeded());
        assert_eq!(drive.bus.as_deref(), Some("VIRT"));
        assert_eq!(drive.model.as_deref(), Some("Loopback device"));
        assert_eq!(drive.size_text.as_deref(), Some("33 MB"));
        assert_eq!(drive.size_bytes, Some(33_554_432));
        assert_eq!(
            (drive.pass_errors, drive.verify_errors, drive.sync_errors),
            (Some(0), Some(0), Some(0))
        );
        assert_eq!(drive.duration_secs, Some(1));
        assert_eq!(drive.method.as_deref(), Some("DoD Short"));
        assert!(drive.started_at.is_some() && drive.ended_at >= drive.started_at);
        // The loop devices report a garbage serial: kept as bytes, never trusted for matching.
        let serial = drive.serial.as_ref().unwrap();
        assert!(!serial.raw_hex.is_empty());
        assert!(!serial.is_usable());
    }
}

#[test]
fn a_read_only_drive_is_a_failure_with_its_pass_error() {
    let log = parse(READONLY).unwrap();
    assert_eq!(log.method.as_deref(), Some("Fill With Zeros"));
    assert_eq!(log.verify, Some(VerifyMode::LastPass));
    let drive = &log.drives[0];
    assert_eq!(drive.device, "/dev/loop2");
    assert_eq!(drive.status, DriveStatus::Failed);
    assert_eq!(drive.pass_errors, Some(1));
    assert!(!drive.succeeded());
}

#[test]
fn a_log_cut_before_its_summary_has_unfinished_drives() {
    let cut = TWO_DRIVES.len() * 2 / 3;
    let log = parse(&TWO_DRIVES[..cut]).unwrap();
    assert!(!log.complete);
    assert_eq!(log.drives.len(), 2);
    assert!(
        log.drives
            .iter()
            .all(|d| d.status == DriveStatus::Unfinished && !d.succeeded())
    );
}

#[test]
fn an_aborted_run_and_a_verification_error_are_failures() {
    let text = String::from_utf8_lossy(TWO_DRIVES)
        .replace("loop0 | Erased |", "loop0 |UABORTED|")
        .replace(
            "     loop1 |           0 |                    0 |",
            "!    loop1 |           0 |                    3 |",
        );
    let log = parse(text.as_bytes()).unwrap();
    assert_eq!(log.drives[0].status, DriveStatus::Aborted);
    assert_eq!(log.drives[1].status, DriveStatus::Erased);
    assert_eq!(log.drives[1].verify_errors, Some(3));
    assert!(log.drives.iter().all(|d| !d.succeeded()));
}

#[test]
fn newer_tables_padded_fields_and_bytes_erased_are_read_by_their_headers() {
    let text = "\
[2026/08/16 10:00:00]  notice: Found /dev/sdb, ATA    , WDC WD5000AAKX-0, 500 GB, S/N=WD-WCC2EFM32092
[2026/08/16 10:00:01]  notice: Invoking method 'PRNG Stream' on /dev/sdb
  continuation line without a timestamp
****************************** Erasure Summary *******************************
! Device | Status | Bytes Erased | Thru-put | HH:MM:SS | Model/Serial Number
-------------------------------------------------------------------------------
     sdb | Erased | 500107862016 | 105 MB/s | 01:19:12 | WDC WD5000AAKX-0/WD-WCC2EFM32092
-------------------------------------------------------------------------------
[2026/08/16 11:19:13] Total Throughput 105 MB/s, PRNG Stream, 1R+NB+VL
*******************************************************************************
";
    let log = parse(text.as_bytes()).unwrap();
    let drive = &log.drives[0];
    assert_eq!(drive.bus.as_deref(), Some("ATA"));
    assert_eq!(drive.serial.as_ref().unwrap().text, "WD-WCC2EFM32092");
    assert!(drive.serial.as_ref().unwrap().is_usable());
    assert_eq!(drive.bytes_erased, Some(500_107_862_016));
    assert_eq!(drive.duration_secs, Some(4752));
    assert_eq!(drive.throughput.as_deref(), Some("105 MB/s"));
    assert!(drive.succeeded());
    assert_eq!(
        (log.blanking, log.verify),
        (Some(false), Some(VerifyMode::LastPass))
    );
}

#[test]
fn random_bytes_are_not_a_log() {
    assert_eq!(
        parse(b"\x00\x01garbage\xff\xfe"),
        Err(NwipeError::NotAnNwipeLog)
    );
    assert_eq!(parse(b""), Err(NwipeError::NotAnNwipeLog));
}

proptest! {
    #[test]
    fn any_bytes_parse_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn any_cut_or_corruption_of_a_real_log_parses_without_panicking(cut in 0usize..7258, at in 0usize..7258, byte in any::<u8>()) {
        let mut bytes = TWO_DRIVES[..cut.min(TWO_DRIVES.len())].to_vec();
        if let Some(b) = bytes.get_mut(at) {
            *b = byte;
        }
        let _ = parse(&bytes);
    }
}
