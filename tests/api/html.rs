//! The web interface as a browser sees it: the routes the web modules
//! declare (read from their source, where a newcomer greps for a URL), and
//! the forms of a page with the values a browser would send.

/// A route of the web router: its path and whether it answers GET and POST.
#[derive(Debug, Clone)]
pub struct Route {
    pub path: String,
    pub get: bool,
    pub post: bool,
}

/// Every route the web modules declare, read from their source.
pub fn routes() -> Vec<Route> {
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    sources(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web"),
        &mut files,
    );
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for piece in text.split(".route(").skip(1) {
            let path = piece
                .trim_start()
                .strip_prefix('"')
                .and_then(|rest| rest.split('"').next())
                .expect("a literal path")
                .to_owned();
            // The handlers: after the path, up to the next route or the
            // end of the router function.
            let after_path = piece.trim_start()[path.len() + 2..]
                .split("\n}")
                .next()
                .unwrap_or_default();
            found.push(Route {
                get: after_path.contains("get("),
                post: after_path.contains("post("),
                path,
            });
        }
    }
    assert!(found.len() > 30, "{found:?}");
    found
}

/// A form as the browser would send it.
#[derive(Debug, Clone)]
pub struct HtmlForm {
    pub action: String,
    pub multipart: bool,
    pub fields: Vec<(String, String)>,
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let value = tag[start..].split('"').next()?;
    Some(unescape(value))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The POST forms of a page, each with the values it would send untouched:
/// hidden and filled inputs, checked boxes and radios, each select's chosen
/// option, textareas.
pub fn forms(html: &str) -> Vec<HtmlForm> {
    let mut out = Vec::new();
    for piece in html.split("<form").skip(1) {
        let (tag, rest) = piece.split_once('>').unwrap();
        if attribute(tag, "method").as_deref() != Some("post") {
            continue;
        }
        let body = rest.split("</form>").next().unwrap();
        let mut fields = Vec::new();
        for input in body.split("<input").skip(1) {
            let input = input.split('>').next().unwrap();
            let Some(name) = attribute(input, "name") else {
                continue;
            };
            let kind = attribute(input, "type").unwrap_or_else(|| "text".into());
            let checked = input.contains(" checked");
            let value = attribute(input, "value");
            match kind.as_str() {
                "file" | "submit" | "button" => {}
                "checkbox" if checked => fields.push((name, value.unwrap_or_else(|| "on".into()))),
                "radio" if checked => fields.push((name, value.unwrap_or_default())),
                "checkbox" | "radio" => {}
                _ => fields.push((name, value.unwrap_or_default())),
            }
        }
        for select in body.split("<select").skip(1) {
            let (tag, options) = select.split_once('>').unwrap();
            let name = attribute(tag, "name").unwrap();
            let options = options.split("</select>").next().unwrap();
            let choices: Vec<(String, bool)> = options
                .split("<option")
                .skip(1)
                .map(|option| {
                    let (tag, text) = option.split_once('>').unwrap();
                    let text = text.split('<').next().unwrap_or_default();
                    let value = attribute(tag, "value").unwrap_or_else(|| unescape(text));
                    (value, tag.contains(" selected"))
                })
                .collect();
            if let Some((value, _)) = choices
                .iter()
                .find(|(_, selected)| *selected)
                .or_else(|| choices.first())
            {
                fields.push((name, value.clone()));
            }
        }
        for textarea in body.split("<textarea").skip(1) {
            let (tag, text) = textarea.split_once('>').unwrap();
            let text = text.split("</textarea>").next().unwrap();
            fields.push((attribute(tag, "name").unwrap(), unescape(text)));
        }
        out.push(HtmlForm {
            action: attribute(tag, "action").unwrap_or_default(),
            multipart: tag.contains("multipart/form-data"),
            fields,
        });
    }
    out
}

/// The first POST form of a page that posts to `action`.
pub fn form_to(html: &str, action: &str) -> HtmlForm {
    forms(html)
        .into_iter()
        .find(|f| f.action == action)
        .unwrap_or_else(|| panic!("no form to {action} in:\n{html}"))
}

/// Every POST form of a page that posts to `action`.
pub fn forms_to(html: &str, action: &str) -> Vec<HtmlForm> {
    forms(html)
        .into_iter()
        .filter(|f| f.action == action)
        .collect()
}

/// A form's fields with some typed over, as a person fills it in.
pub fn filled<'a>(form: &'a HtmlForm, typed: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = form
        .fields
        .iter()
        .filter(|(k, _)| !typed.iter().any(|(t, _)| t == k))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.extend_from_slice(typed);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reader_sends_what_a_browser_sends() {
        let html = r#"<form method="get" action="/x"><input name="q" value="no"></form>
          <form method="post" action="/a?b=1&amp;c=2" enctype="multipart/form-data">
          <input type="hidden" name="csrf" value="t0k">
          <input type="text" name="note" value="l&#39;écran">
          <input type="checkbox" name="dry_run" checked>
          <input type="checkbox" name="other">
          <input type="radio" name="scope" value="lot" checked><input type="radio" name="scope" value="year">
          <select name="grade"><option>A</option><option selected>B</option></select>
          <select name="kind"><option value="x">X</option><option value="y">Y</option></select>
          <textarea name="tags">BRE-1
BRE-2</textarea><input type="file" name="file"></form>"#;
        let found = forms(html);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].action, "/a?b=1&c=2");
        assert!(found[0].multipart);
        let fields: Vec<(&str, &str)> = found[0]
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("csrf", "t0k"),
                ("note", "l'écran"),
                ("dry_run", "on"),
                ("scope", "lot"),
                ("grade", "B"),
                ("kind", "x"),
                ("tags", "BRE-1\nBRE-2"),
            ]
        );
    }
}
