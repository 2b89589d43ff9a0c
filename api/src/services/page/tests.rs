//! Keyset pages and cursors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::*;
use entity::member;
use sea_orm::{DbBackend, QueryTrait};

const MEMBERS: Keyset<member::Entity> = Keyset {
    list: "members",
    columns: &[
        (member::Column::CreatedAt, KeyKind::Time),
        (member::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |m| time_key(m.created_at, m.id),
};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("instant")
        .with_timezone(&Utc)
}

fn request(after: Option<Cursor>) -> PageRequest {
    PageRequest { limit: 2, after }
}

#[test]
fn cursors_round_trip_to_the_nanosecond() {
    let cursor = Cursor::new(
        "members",
        time_key(at("2026-04-02T08:00:00.123456789Z"), Uuid::now_v7()),
    );
    let text = cursor.encode();
    assert!(
        text.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "URL-safe: {text}"
    );
    assert_eq!(Cursor::decode(&text).ok(), Some(cursor));
    let due = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("a day");
    let by_day = Cursor::new("x", vec![KeyValue::Day(due), KeyValue::Id(Uuid::now_v7())]);
    assert_eq!(Cursor::decode(&by_day.encode()).ok(), Some(by_day));
    let far = chrono::NaiveDate::from_ymd_opt(20000, 1, 1).expect("a day chrono accepts");
    let forged = Cursor::new("x", vec![KeyValue::Day(far)]).encode();
    assert!(Cursor::decode(&forged).is_err(), "a day no database stores");
    let before_epoch = Cursor::new("x", vec![KeyValue::Time(at("1900-01-01T00:00:00Z"))]);
    assert_eq!(
        Cursor::decode(&before_epoch.encode()).ok(),
        Some(before_epoch)
    );
}

#[test]
fn garbage_is_a_bad_cursor() {
    let good = Cursor::new("members", time_key(Utc::now(), Uuid::now_v7())).encode();
    let mut bytes = URL_SAFE_NO_PAD.decode(&good).expect("base64");
    let mut wrong_version = bytes.clone();
    wrong_version[0] = 2;
    let mut bad_nanos = bytes.clone();
    let nanos = 1 + 1 + "members".len() + 1 + 1 + 8;
    bad_nanos[nanos..nanos + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    bytes.push(0);
    let trailing = bytes;
    let truncated = &good[..good.len() - 3];
    let old_uuid_cursor = URL_SAFE_NO_PAD.encode(Uuid::now_v7().as_bytes());
    for text in [
        "",
        "not a cursor",
        "%%%",
        truncated,
        &old_uuid_cursor,
        &URL_SAFE_NO_PAD.encode(wrong_version),
        &URL_SAFE_NO_PAD.encode(bad_nanos),
        &URL_SAFE_NO_PAD.encode(trailing),
    ] {
        assert!(
            matches!(Cursor::decode(text), Err(PageError::BadCursor(_))),
            "{text:?} must be refused"
        );
    }
}

#[test]
fn another_lists_cursor_or_key_shape_is_refused() {
    let id = Uuid::now_v7();
    let teams = Cursor::new("teams", time_key(Utc::now(), id));
    let request = request(Some(teams));
    assert!(matches!(
        MEMBERS.position(&request),
        Err(PageError::BadCursor(_))
    ));
    for key in [
        vec![KeyValue::Id(id)],
        vec![KeyValue::Id(id), KeyValue::Time(Utc::now())],
        vec![
            KeyValue::Time(Utc::now()),
            KeyValue::Id(id),
            KeyValue::Id(id),
        ],
    ] {
        let request = PageRequest {
            limit: 2,
            after: Some(Cursor::new("members", key)),
        };
        assert!(matches!(
            MEMBERS.position(&request),
            Err(PageError::BadCursor(_))
        ));
    }
    let own = PageRequest {
        limit: 2,
        after: Some(Cursor::new("members", time_key(Utc::now(), id))),
    };
    assert!(matches!(MEMBERS.position(&own), Ok(Some(_))));
}

#[test]
fn a_bad_cursor_is_a_bad_input_on_after() {
    let error: ServiceError = PageError::BadCursor(MALFORMED).into();
    assert!(
        matches!(&error, ServiceError::BadInput { field, .. } if field == "after"),
        "{error:?}"
    );
}

#[test]
fn the_keyset_predicate_is_a_portable_row_comparison() {
    let key = time_key(at("2026-04-02T08:00:00Z"), Uuid::nil());
    let scoped = member::Entity::find().filter(member::Column::Name.eq("x"));
    let sql = MEMBERS
        .window(scoped.clone(), Some(&key), 2)
        .build(DbBackend::Postgres)
        .to_string();
    let after = r#"WHERE "members"."name" = 'x' AND ("members"."created_at" > '2026-04-02 08:00:00.000000 +00:00' OR ("members"."created_at" = '2026-04-02 08:00:00.000000 +00:00' AND "members"."id" > '00000000-0000-0000-0000-000000000000')) ORDER BY "members"."created_at" ASC, "members"."id" ASC LIMIT 3"#;
    assert!(sql.ends_with(after), "{sql}");

    // Newest first, the rows at or before the cursor are the later ones.
    let newest_first = Keyset {
        direction: Direction::Descending,
        ..MEMBERS
    };
    let sql = scoped
        .filter(newest_first.beyond(&key, false))
        .build(DbBackend::Sqlite)
        .to_string();
    let before = r#"WHERE "members"."name" = 'x' AND ("members"."created_at" > '2026-04-02 08:00:00.000000 +00:00' OR ("members"."created_at" = '2026-04-02 08:00:00.000000 +00:00' AND "members"."id" >= '00000000-0000-0000-0000-000000000000'))"#;
    assert!(sql.ends_with(before), "{sql}");
}
