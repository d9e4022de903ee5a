use super::*;

fn key() -> (tempfile::TempDir, InstanceKey) {
    let dir = tempfile::tempdir().unwrap();
    let key = InstanceKey::load_or_create(dir.path()).unwrap();
    (dir, key)
}

#[test]
fn a_sealed_file_verifies_and_every_single_byte_change_is_caught() {
    let (_dir, key) = key();
    let (file, seal) = seal(b"%PDF-1.7\nsome content\n%%EOF".to_vec(), &key);
    assert_eq!(verify(&file, &key.verifying_key()), Ok(seal));
    for at in 0..file.len() {
        let mut changed = file.clone();
        changed[at] ^= 0x20;
        assert!(
            verify(&changed, &key.verifying_key()).is_err(),
            "byte {at} changed unnoticed"
        );
    }
}

#[test]
fn another_key_and_a_missing_seal_are_named() {
    let (_dir, key) = key();
    let (_other_dir, other) = self::key();
    let (file, _) = seal(b"%PDF-1.7\n%%EOF\n".to_vec(), &key);
    assert!(matches!(
        verify(&file, &other.verifying_key()),
        Err(SealError::OtherKey(_))
    ));
    assert_eq!(
        verify(b"%PDF-1.7\n%%EOF\n", &key.verifying_key()),
        Err(SealError::Missing)
    );
}
