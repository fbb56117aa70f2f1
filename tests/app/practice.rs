//! `/api/practice`: flashcards from questions and their summaries, and "predict the output"
//! cards from examples verified on real interpreters, one per output where Pythons differ.

use axum::http::StatusCode;

use crate::helpers::{TestApp, interpreters, without_the_seed_queue};

async fn cards(app: &TestApp, query: &str) -> Vec<serde_json::Value> {
    let response = app.get(&format!("/api/practice?{query}")).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{query}: {}",
        response.body
    );
    response.json()["cards"].as_array().unwrap().clone()
}

#[tokio::test]
async fn flashcards_ask_the_question_and_answer_with_the_summary() {
    let app = TestApp::new().await;
    let found = cards(&app, "topic=memory&kind=flashcard").await;
    assert!(found.len() >= 3, "{}", found.len());
    for card in &found {
        assert_eq!(card["kind"], "flashcard");
        let slug = card["slug"].as_str().unwrap();
        let article = app.get(&format!("/api/articles/{slug}")).await.json();
        assert_eq!(card["question"], article["title"]);
        assert_eq!(card["answer"], article["summary"]);
        assert_eq!(card["url"], format!("/q/{slug}"));
    }
    // The same source text, the same ids.
    assert_eq!(cards(&app, "topic=memory&kind=flashcard").await, found);
    for (query, status) in [
        ("kind=quiz", StatusCode::BAD_REQUEST),
        ("difficulty=hardest", StatusCode::BAD_REQUEST),
        ("topic=no-such-topic", StatusCode::NOT_FOUND),
    ] {
        let response = app.get(&format!("/api/practice?{query}")).await;
        assert_eq!(response.status, status, "{query}");
        assert!(response.body.contains("\"error\""), "{}", response.body);
    }
}

#[tokio::test]
async fn output_cards_come_from_verified_examples_one_per_output() {
    let Some(pythons) = interpreters() else {
        return;
    };
    let app = TestApp::new().await;
    without_the_seed_queue(&app).await;
    let body = "Cards.\n\n```python\nprint(1 + 1)\n```\n\n```output\n2\n```\n\n\
                ```python\nimport sys\nprint(sys.version_info >= (3, 12))\n```\n\n\
                ```output python=3.12+\nTrue\n```\n\n```output\nFalse\n```\n\n\
                Printed wrong on purpose:\n\n```python\nprint(3)\n```\n\n```output\n4\n```\n\n\
                Too long to type:\n\n```python\nfor i in range(9):\n    print(i)\n```\n\n\
                ```output\n0\n1\n2\n3\n4\n5\n6\n7\n8\n```\n";
    let mut draft = crate::helpers::seed_draft("what-are-metaclasses-in-python");
    draft.slug = pykb::domain::Slug::parse("practice-cards").unwrap();
    draft.title = "Practice cards".into();
    draft.body = body.into();
    draft.tags = pykb::domain::TagName::parse_list("practice-test").unwrap();
    app.save(None, 0, &draft).await;
    pykb::verify::worker::drain(&app.state.db, &app.state.page_cache, &app.state.verifier)
        .await
        .unwrap();

    let found = cards(&app, "topic=practice-test&kind=output").await;
    let minor = |p: &pykb::verify::interpreters::Interpreter| {
        let (major, minor) = p.version.minor();
        format!("{major}.{minor}")
    };
    let mut all: Vec<String> = pythons.iter().map(minor).collect();
    all.sort_by_key(|m| pykb::domain::parse_minor(m));
    all.dedup();
    let older: Vec<&String> = all
        .iter()
        .filter(|m| pykb::domain::parse_minor(m) < Some((3, 12)))
        .collect();
    let newer: Vec<&String> = all
        .iter()
        .filter(|m| pykb::domain::parse_minor(m) >= Some((3, 12)))
        .collect();
    let outputs: Vec<(&str, &str)> = found
        .iter()
        .map(|c| (c["output"].as_str().unwrap(), c["python"].as_str().unwrap()))
        .collect();
    assert!(
        outputs.contains(&("2", all.join(", ").as_str())),
        "{outputs:?}"
    );
    let join = |ms: &[&String]| ms.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ");
    if !older.is_empty() {
        assert!(
            outputs.contains(&("False", join(&older).as_str())),
            "{outputs:?}"
        );
    }
    if !newer.is_empty() {
        assert!(
            outputs.contains(&("True", join(&newer).as_str())),
            "{outputs:?}"
        );
    }
    // One Python's cards: the version-dependent example gives only that Python's output.
    if let Some(newest) = newer.last() {
        let only: Vec<String> = cards(
            &app,
            &format!("topic=practice-test&kind=output&python={newest}"),
        )
        .await
        .iter()
        .map(|c| c["output"].as_str().unwrap().to_owned())
        .collect();
        assert!(
            only.contains(&"True".to_owned()) && !only.contains(&"False".to_owned()),
            "{only:?}"
        );
        let sheet = app
            .get("/practice?topic=practice-test&kind=output")
            .await
            .html();
        assert!(crate::helpers::attrs(&sheet, "#practice-python option", "value").contains(newest));
    }
    assert_eq!(
        app.get("/api/practice?python=three").await.status,
        StatusCode::BAD_REQUEST
    );
    // The wrong example and the long one make no card.
    assert!(
        !outputs.iter().any(|(o, _)| *o == "4" || o.contains('8')),
        "{outputs:?}"
    );
    for card in &found {
        assert_eq!(card["kind"], "output");
        assert!(
            card["url"]
                .as_str()
                .unwrap()
                .starts_with("/q/practice-cards#code-")
        );
        let choices: Vec<&str> = card["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        if !choices.is_empty() {
            assert!(
                choices.contains(&card["output"].as_str().unwrap()),
                "{card}"
            );
            assert!(choices.len() >= 3, "{card}");
        }
    }
}

#[tokio::test]
async fn the_practice_page_is_a_printable_sheet_without_javascript() {
    let app = TestApp::new().await;
    let choose = app.get("/practice").await;
    assert_eq!(choose.status, StatusCode::OK);
    let html = choose.html();
    assert!(
        crate::helpers::attrs(&html, "#practice-topic option", "value")
            .contains(&"memory".to_owned())
    );
    // Linked from every topic page.
    let topic = app.get("/tags/memory").await.html();
    assert_eq!(
        crate::helpers::attrs(&topic, "a[data-practise-topic]", "href"),
        ["/practice?topic=memory"]
    );
    let sheet = app.get("/practice?topic=memory&kind=flashcard").await;
    assert_eq!(sheet.status, StatusCode::OK);
    let html = sheet.html();
    let api = cards(&app, "topic=memory&kind=flashcard").await;
    let ids = crate::helpers::attrs(&html, "[data-card]", "data-card");
    let expected: Vec<String> = api
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, expected);
    // Each answer is folded, to be opened after answering.
    assert_eq!(
        crate::helpers::texts(&html, "[data-card] details summary").len(),
        ids.len()
    );
    assert_eq!(
        app.get("/practice?topic=memory&kind=quiz").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/practice?topic=nothing-here").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn one_page_s_cards_for_add_to_my_practice() {
    let app = TestApp::new().await;
    let found = cards(&app, "article=what-are-metaclasses-in-python").await;
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|c| c["slug"] == "what-are-metaclasses-in-python")
    );
    let missing = app.get("/api/practice?article=no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // The page says what needs the script.
    let mine = app.get("/practice?mine=1").await.html();
    assert_eq!(
        crate::helpers::attrs(&mine, "[data-practice][data-mine]", "data-topic"),
        ["mine"]
    );
}
