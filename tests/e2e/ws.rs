//! A graphql-transport-ws client over a real WebSocket (tokio-tungstenite), for the
//! subscriptions at `/graphql/ws` and `/admin/graphql/ws`: what a client sees, message by
//! message, including refusals (an HTTP status at the upgrade, or a close frame).

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tests::TestApp;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// How long a test waits for any one message.
const PATIENCE: Duration = Duration::from_secs(20);

/// Why a connection was not made.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The upgrade was answered with this HTTP status.
    Http(u16),
    /// The server closed the socket with this code and reason.
    Closed(u16, String),
}

/// What the server sent for a subscription.
#[derive(Debug, PartialEq)]
pub enum Event {
    /// `next`: one result (`{"data"}` or `{"errors"}`).
    Next(Value),
    /// `error`: the operation was refused before it ran.
    Error(Value),
    /// `complete`: no more results.
    Complete,
    /// The socket closed (code, reason).
    Closed(u16, String),
}

/// A connection past `connection_ack`.
pub struct Socket {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u32,
}

/// Opens `path` (`/graphql/ws`, `/admin/graphql/ws`) with extra `headers`, offering
/// graphql-transport-ws, and sends `connection_init` with `payload`.
pub async fn connect(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
    payload: Value,
) -> Result<Socket, Refusal> {
    let url = format!("{}{path}", app.address.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().expect("a WebSocket request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    for (name, value) in headers {
        request.headers_mut().insert(
            http::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_str(value).expect("header value"),
        );
    }
    let (socket, response) = match connect_async(request).await {
        Ok(connected) => connected,
        Err(Error::Http(response)) => return Err(Refusal::Http(response.status().as_u16())),
        Err(error) => panic!("connecting to {path}: {error}"),
    };
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .map(|v| v.as_bytes()),
        Some(&b"graphql-transport-ws"[..])
    );
    let mut socket = Socket { socket, next_id: 0 };
    socket
        .send(json!({ "type": "connection_init", "payload": payload }))
        .await;
    match socket.receive().await {
        Ok(message) if message["type"] == "connection_ack" => Ok(socket),
        Ok(message) => panic!("expected connection_ack, got {message}"),
        Err((code, reason)) => Err(Refusal::Closed(code, reason)),
    }
}

/// [`connect`] to `/graphql/ws` with a bearer token.
pub async fn connect_with_token(app: &TestApp, token: &str) -> Result<Socket, Refusal> {
    let payload = json!({ "authorization": format!("Bearer {token}") });
    connect(app, "/graphql/ws", &[], payload).await
}

impl Socket {
    /// Starts `query` with `variables`; returns the operation's id.
    pub async fn subscribe(&mut self, query: &str, variables: Value) -> String {
        self.next_id += 1;
        let id = self.next_id.to_string();
        self.send(json!({ "type": "subscribe", "id": id,
            "payload": { "query": query, "variables": variables } }))
            .await;
        id
    }

    /// The next event of any operation (pings are answered on the way).
    pub async fn event(&mut self) -> Event {
        loop {
            let message = match self.receive().await {
                Ok(message) => message,
                Err((code, reason)) => return Event::Closed(code, reason),
            };
            match message["type"].as_str() {
                Some("next") => return Event::Next(message["payload"].clone()),
                Some("error") => return Event::Error(message["payload"].clone()),
                Some("complete") => return Event::Complete,
                Some("ping") => self.send(json!({ "type": "pong" })).await,
                _ => panic!("unexpected message {message}"),
            }
        }
    }

    /// Every result of the operation until it completes; panics on anything else.
    pub async fn results_until_complete(&mut self) -> Vec<Value> {
        let mut results = Vec::new();
        loop {
            match self.event().await {
                Event::Next(payload) => results.push(payload),
                Event::Complete => return results,
                other => panic!("after {results:?}: {other:?}"),
            }
        }
    }

    /// Subscribes and returns the first `next` payload, as `/graphql` would answer a query.
    pub async fn first_result(&mut self, query: &str, variables: Value) -> Value {
        self.subscribe(query, variables).await;
        match self.event().await {
            Event::Next(payload) => payload,
            Event::Error(errors) => json!({ "errors": errors }),
            other => panic!("expected a result, got {other:?}"),
        }
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("sent");
    }

    /// The next text message as JSON, or the close frame's code and reason.
    async fn receive(&mut self) -> Result<Value, (u16, String)> {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a message in time");
            match message {
                Some(Ok(Message::Text(text))) => {
                    return Ok(serde_json::from_str(&text).expect("JSON message"));
                }
                Some(Ok(Message::Close(frame))) => {
                    return Err(frame.map_or((1005, String::new()), |f| {
                        (u16::from(f.code), f.reason.to_string())
                    }));
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err((1006, error.to_string())),
                None => return Err((1006, "ended".to_owned())),
            }
        }
    }
}
