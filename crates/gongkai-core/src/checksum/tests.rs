use super::*;
use proptest::prelude::*;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 28);

#[test]
fn bi_3_1_id_number_check_digit() {
    // The standard's own sample (BI-ID-1).
    assert_eq!(id_number_check("11010519491231002"), Some('X'));
    assert_eq!(
        validate_id_number("11010519491231002X", TODAY).as_deref(),
        Ok("11010519491231002X")
    );
}

#[test]
fn bi_id_2_lowercase_and_full_width_normalise() {
    for s in [
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
        "\u{3000}11010519491231002X ",
    ] {
        assert_eq!(
            validate_id_number(s, TODAY).as_deref(),
            Ok("11010519491231002X"),
            "{s}"
        );
    }
}

#[test]
fn bi_id_3_4_wrong_and_transposed_check() {
    let e = validate_id_number("110105194912310021", TODAY).expect_err("invalid");
    assert_eq!(
        e,
        IdNumberError::Checksum {
            expected: 'X',
            found: '1'
        }
    );
    assert_eq!(e.code(), "id.checksum");
    assert!(e.to_string().contains("expected X"));
    let e = validate_id_number("11010519491213002X", TODAY).expect_err("invalid");
    assert_eq!(e.code(), "id.checksum");
}

#[test]
fn bi_id_5_to_12_bad_shapes() {
    let cases = [
        ("1101051949123100", "id.length"),
        ("11010519491231002X1", "id.length"),
        ("", "required"),
        ("\u{3000}", "required"),
        ("000000000000000001", "id.region"),
        ("110105190002290011", "id.birthdate"),
        ("110105202313010011", "id.birthdate"),
        ("110105209901010011", "id.birthdate"),
        ("990105194912310021", "id.region"),
        ("110105 19491231002X", "id.format"),
        ("11010519491231002\u{0425}", "id.format"),
        ("1101051949123100X2", "id.format"),
        ("110105491231002", "id.legacy15"),
    ];
    for (input, code) in cases {
        let e = validate_id_number(input, TODAY).expect_err(input);
        assert_eq!(e.code(), code, "{input:?}: {e}");
    }
    let long = "1".repeat(10_000);
    assert_eq!(
        validate_id_number(&long, TODAY)
            .expect_err("invalid")
            .code(),
        "id.length"
    );
}

#[test]
fn bi_3_2_credit_code_check_character() {
    assert_eq!(credit_code_check("91110108MA0000001"), Some('D'));
    assert_eq!(credit_code_check("12100000400000000"), Some('W'));
    assert_eq!(
        validate_credit_code("91110108MA0000001D").as_deref(),
        Ok("91110108MA0000001D")
    );
    assert_eq!(
        validate_credit_code("91110108ma0000001d").as_deref(),
        Ok("91110108MA0000001D")
    );
    assert_eq!(
        validate_credit_code("12100000400000000W").as_deref(),
        Ok("12100000400000000W")
    );
    let e = validate_credit_code("91110108MA0000001E").expect_err("invalid");
    assert_eq!(
        e,
        CreditCodeError::Checksum {
            expected: 'D',
            found: 'E'
        }
    );
    assert_eq!(e.code(), "uscc.checksum");
}

#[test]
fn bi_uc_credit_code_bad_inputs() {
    let cases = [
        ("91110108MA0000001E", "uscc.checksum"),        // BI-UC-2
        ("91110108MA0000001I", "uscc.charset"),         // BI-UC-3
        ("9111O108MA0000001D", "uscc.charset"),         // BI-UC-3
        ("000000000000000000", "uscc.semantic"),        // BI-UC-5
        ("911A0108MA0000001D", "uscc.division"),        // BI-UC-6
        ("110108000000012", "uscc.legacy"),             // BI-UC-7
        ("12345678-9", "uscc.legacy"),                  // BI-UC-7
        ("MA0000001", "uscc.legacy"),                   // BI-UC-7
        ("91110108MA000000", "uscc.length"),            // BI-UC-8
        ("91110108MA0000001D1", "uscc.length"),         // BI-UC-8
        ("91110108 MA0000001D", "uscc.charset"),        // BI-UC-8
        ("91110108\u{200B}MA0000001D", "uscc.charset"), // BI-UC-8
        ("", "required"),
    ];
    for (input, code) in cases {
        assert_eq!(
            validate_credit_code(input).expect_err(input).code(),
            code,
            "{input:?}"
        );
    }
    // BI-UC-4: full-width and lowercase normalise.
    let full_width: String = "91110108ma0000001d"
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).expect("full-width form"))
        .collect();
    assert_eq!(
        validate_credit_code(&full_width).as_deref(),
        Ok("91110108MA0000001D")
    );
    let e = validate_credit_code("110108000000012").expect_err("legacy");
    assert!(e.to_string().contains("unified social credit code"), "{e}");
}

const USCC: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn t_prop_id_number_round_trip_and_single_errors(
        seq in 0u32..1000, days in 0i64..40_000, pos in 0usize..17, delta in 1u8..10,
    ) {
        let birth = date!(1910 - 01 - 01) + time::Duration::days(days);
        let body = format!("110105{:04}{:02}{:02}{seq:03}", birth.year(), birth.month() as u8, birth.day());
        let check = id_number_check(&body).expect("17 digits");
        let full = format!("{body}{check}");
        prop_assert_eq!(validate_id_number(&full, TODAY), Ok(full.clone()));
        // Any single-digit substitution in the sequence/birth part or the region keeps the
        // shape but must break the check.
        let mut bytes = full.clone().into_bytes();
        bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
        let changed = String::from_utf8(bytes).expect("ascii");
        if let Some(c) = id_number_check(&changed[..17]) {
            prop_assert_ne!(c, check);
        }
    }

    #[test]
    fn t_prop_credit_code_round_trip_and_single_errors(
        head in (0usize..12, 0usize..6), body in proptest::collection::vec(0usize..31, 15),
        region in 100000u32..999999,
        pos in 0usize..17, delta in 1usize..31,
    ) {
        let mut b: Vec<char> = body.iter().map(|&i| USCC.as_bytes()[i] as char).collect();
        let r: Vec<char> = region.to_string().chars().collect();
        b[0] = "123456789ANY".as_bytes()[head.0] as char;
        b[1] = "123459".as_bytes()[head.1] as char;
        b.splice(2..2, r[..6].iter().copied());
        b.truncate(17);
        let body: String = b.iter().collect();
        let check = credit_code_check(&body).expect("alphabet");
        let full = format!("{body}{check}");
        prop_assert_eq!(validate_credit_code(&full), Ok(full.clone()));
        let mut c = b.clone();
        let i = USCC.find(c[pos]).expect("alphabet");
        c[pos] = USCC.as_bytes()[(i + delta) % 31] as char;
        let changed: String = c.iter().collect();
        prop_assert_ne!(credit_code_check(&changed), Some(check));
    }
}
