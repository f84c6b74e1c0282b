//! The scheme editor: indicators with their name, metric, weight (a number and a slider
//! that rescores while dragging), rule kind and that rule's settings; the running
//! "weights total" with normalise; categories, grades and the total rule.
//!
//! Fields are described as data in [`crate::app::scheme_fields`] and all rendered by
//! [`field`] (one copy of the rendering code keeps the WebAssembly small). Fields edit
//! the session directly and rescore; the editor is rebuilt only when the scheme changes
//! in another way (undo, a band row added, normalise). A field whose value is invalid
//! says why: its own reading error (not a number), or the validation issue at its place
//! (`scheme.indicators[2].rule.tables[0].bands[1].min`).

use super::{flag, on_demand, opt_attr, part, t, txt, Ctx};
use crate::app::paste::{parse_figure, plain_number, Figure};
use crate::app::scheme_edit::{self, kind_key, KINDS};
use crate::app::scheme_fields::{self as sf, Idx, Kind, Label, Spec, Val};
use crate::app::weights;
use crate::explain;
use crate::i18n::tr;
use crate::model::Rule;
use leptos::prelude::*;

/// The id of a field from its place (`scheme.indicators[0].weight` → `f-scheme-indicators-0-weight`).
fn field_id(place: &str) -> String {
    crate::app::fields::place_id("f-", place, false)
}

/// What is wrong at `place`: the field's own reading error, else the validation issues
/// there, with whether any is an error (not just a warning).
fn field_message(ctx: Ctx, place: &str) -> Option<(String, bool)> {
    let l = ctx.lang.get();
    ctx.rev_results.track();
    if let Some(k) = ctx.local_errors.with(|m| m.get(place).copied()) {
        return Some((tr(l, k).to_string(), true));
    }
    ctx.s.with_value(|s| {
        let found: Vec<_> = s.issues_for(place).collect();
        if found.is_empty() {
            return None;
        }
        let error = found.iter().any(|i| i.is_error());
        Some((found.iter().map(|i| explain::problem(&i.problem, l)).collect::<Vec<_>>().join("; "), error))
    })
}

fn message_view(ctx: Ctx, place: String) -> AnyView {
    let id = format!("{}-msg", field_id(&place));
    let p1 = place.clone();
    let p2 = place.clone();
    view! {
        <span class="field-msg" id=id data-place=place class:error=flag(move || field_message(ctx, &p1).is_some_and(|m| m.1)) aria-live="polite">
            {txt(move || field_message(ctx, &p2).map(|m| m.0).unwrap_or_default())}
        </span>
    }
    .into_any()
}

/// Reads a field's text into a value, or the key of why it cannot be read.
fn read(kind: Kind, text: &str) -> Result<Val, &'static str> {
    match kind {
        Kind::Num { optional } => match parse_figure(text) {
            Ok(Figure::Number(x)) => Ok(Val::Num(Some(x))),
            Ok(Figure::Blank) if optional => Ok(Val::Num(None)),
            Ok(Figure::Blank) => Err("error.required"),
            Err(e) => Err(e.key()),
        },
        Kind::List => scheme_edit::parse_places(text).map(|_| Val::Text(text.to_string())).map_err(|e| e.key()),
        Kind::Choice(_) => Ok(Val::Pick(text.to_string())),
        Kind::Text | Kind::Formula | Kind::Check => Ok(Val::Text(text.to_string())),
    }
}

/// One scheme field, rendered from its description. `compact`: the label is for
/// screen readers only (cells of the band table).
fn field(ctx: Ctx, spec: &'static Spec, x: Idx, compact: bool) -> AnyView {
    let place = (spec.place)(x);
    let id = field_id(&place);
    let msg_id = format!("{id}-msg");
    let value = ctx.s.with_value(|s| (spec.get)(&s.wb.scheme, x));
    let label_class = if compact { "visually-hidden" } else { "" };
    let p = place.clone();
    let kind = spec.kind;
    let apply = move |v: Val| {
        let merge = p.clone();
        ctx.edit_scheme(merge, move |s| {
            (spec.set)(s, x, v);
        });
    };
    let on_text = {
        let p = place.clone();
        let apply = apply.clone();
        move |ev: leptos::ev::Event| match read(kind, &event_target_value(&ev)) {
            Ok(v) => {
                ctx.set_local_error(&p, None);
                apply(v);
            }
            Err(k) => ctx.set_local_error(&p, Some(k)),
        }
    };
    let invalid = {
        let p = place.clone();
        opt_attr(move || field_message(ctx, &p).filter(|m| m.1).map(|_| "true"))
    };
    let control = match (kind, value) {
        (Kind::Check, Val::Bool(checked)) => {
            let apply = apply.clone();
            return view! {
                <div class="field check">
                    <input type="checkbox" id=id.clone() checked=checked on:change=move |ev| {
                        apply(Val::Bool(event_target_checked(&ev)));
                        ctx.seal();
                    }/>
                    <label for=id>{t(spec.label)}</label>
                </div>
            }
            .into_any();
        }
        (Kind::Choice(options), Val::Pick(current)) => {
            let opts = ctx.s.with_value(|s| options(&s.wb.scheme, x));
            let opts = opts
                .into_iter()
                .map(|(v, label)| {
                    let selected = v == current;
                    let text = txt(move || match &label {
                        Label::Key(k) => tr(ctx.lang.get(), k).to_string(),
                        Label::User(u) => u.clone(),
                    });
                    view! { <option value=v selected=selected>{text}</option> }
                })
                .collect_view();
            let apply = apply.clone();
            view! {
                <select id=id.clone() aria-describedby=msg_id on:change=move |ev| {
                    apply(Val::Pick(event_target_value(&ev)));
                    ctx.seal();
                }>{opts}</select>
            }
            .into_any()
        }
        (_, v) => {
            let (text, numeric) = match v {
                Val::Num(n) => (n.map(plain_number).unwrap_or_default(), true),
                Val::Text(s) | Val::Pick(s) => (s, false),
                Val::Bool(_) => (String::new(), false),
            };
            let optional = matches!(kind, Kind::Num { optional: true });
            let class = match kind {
                Kind::Formula => "mono",
                Kind::Num { .. } => "num",
                _ => "",
            };
            view! {
                <input
                    type="text"
                    inputmode=if numeric { "decimal" } else { "text" }
                    autocomplete="off"
                    spellcheck="false"
                    class=class
                    id=id.clone()
                    value=text
                    placeholder=txt(move || if optional { tr(ctx.lang.get(), "field.none") } else { "" }.to_string())
                    aria-describedby=msg_id
                    aria-invalid=invalid
                    on:input=on_text
                />
            }
            .into_any()
        }
    };
    let wide = matches!(kind, Kind::Text | Kind::Formula | Kind::List);
    view! {
        <div class="field" class:grow=wide>
            <label for=id class=label_class>{t(spec.label)}</label>
            {control}
            {message_view(ctx, place)}
        </div>
    }
    .into_any()
}

fn small_button(label: &'static str, class: &'static str, on: impl Fn() + 'static) -> AnyView {
    view! { <button type="button" class=format!("small {class}") on:click=move |_| on()>{t(label)}</button> }.into_any()
}

#[component]
pub(crate) fn SchemePanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let total = move || {
        ctx.rev_results.track();
        ctx.s.with_value(|s| (weights::total(&s.wb.scheme), weights::is_100(&s.wb.scheme), s.wb.scheme.indicators.iter().any(|i| i.weight.is_some())))
    };
    let normalise = move |_| {
        ctx.edit_scheme_rebuild(|s| {
            weights::normalise_scheme(s);
        });
        let l = ctx.l();
        ctx.status.set(tr(l, "weights.normalised").to_string());
    };
    let editor = part(move || {
        ctx.rev_scheme.track();
        let n = ctx.s.with_value(|s| s.wb.scheme.indicators.len());
        (0..n).map(|i| indicator_editor(ctx, i)).collect::<Vec<_>>().into_any()
    });
    let weights_total = part(move || {
        if !total().2 {
            return ().into_any();
        }
        view! {
            <div class="weights-total" class:off=flag(move || !total().1)>
                <span id="weights-total" role="status" data-total=txt(move || plain_number(total().0))>
                    {txt(move || format!("{} {}", tr(ctx.lang.get(), "weights.total"), crate::app::fmt::percent(total().0, ctx.lang.get())))}
                </span>
                <button type="button" id="normalise" on:click=normalise disabled=flag(move || total().1) title=t("weights.normalise.hint")>
                    {t("weights.normalise")}
                </button>
            </div>
        }
        .into_any()
    });
    view! {
        <div class="scheme-panel">
            {weights_total}
            <div class="indicators">{editor}</div>
            <button type="button" id="add-indicator" on:click=move |_| ctx.edit_scheme_rebuild(|s| { scheme_edit::add_indicator(s); })>
                {t("indicator.add")}
            </button>
            <OtherSettings/>
        </div>
    }
}

fn indicator_editor(ctx: Ctx, i: usize) -> AnyView {
    let Some((rule, weight, has_categories)) = ctx.s.with_value(|s| s.wb.scheme.indicators.get(i).map(|ind| (ind.rule.clone(), ind.weight, !s.wb.scheme.categories.is_empty()))) else {
        return ().into_any();
    };
    let x = Idx::new(i);
    let legend = txt(move || {
        ctx.rev_results.track();
        ctx.s.with_value(|s| explain::indicator_name(&s.wb, i))
    });
    let kind = rule.kind();
    let kind_id = format!("f-kind-{i}");
    let kinds = KINDS
        .iter()
        .map(|k| {
            let selected = *k == kind;
            view! { <option value=k.to_string() selected=selected>{t(kind_key(k))}</option> }
        })
        .collect_view();
    let on_kind = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        ctx.edit_workbook(|wb| {
            scheme_edit::change_kind(wb, i, &v);
        });
    };
    let mut head: Vec<AnyView> = vec![field(ctx, &sf::NAME, x, false)];
    head.push(
        view! {
            <div class="field">
                <label for=kind_id.clone()>{t("indicator.kind")}</label>
                <select id=kind_id on:change=on_kind>{kinds}</select>
            </div>
        }
        .into_any(),
    );
    if rule.needs_metric() {
        head.push(field(ctx, &sf::METRIC, x, false));
    }
    if has_categories {
        head.push(field(ctx, &sf::CATEGORY, x, false));
    }
    let weight = (rule.uses_weight() || weight.is_some()).then(|| weight_field(ctx, i, weight));
    let mut settings: Vec<AnyView> = sf::rule_fields(&rule).iter().map(|spec| field(ctx, spec, x, false)).collect();
    let (row_specs, rows) = sf::row_fields(&rule);
    for b in 0..rows {
        let cells: Vec<AnyView> = row_specs.iter().map(|spec| field(ctx, spec, Idx { b, ..x }, false)).collect();
        settings.push(view! { <div class="row sub">{cells}</div> }.into_any());
    }
    if let Rule::Bands { tables, .. } = &rule {
        settings.push(bands_editor(ctx, i, tables));
    }
    match rule {
        Rule::Checklist { .. } => settings.push(editor_button(ctx, "items", "editors.items", i)),
        Rule::Rating { .. } => settings.push(editor_button(ctx, "scores", "editors.scores", i)),
        _ => {}
    }
    let confirm = RwSignal::new(false);
    view! {
        <fieldset class="indicator" data-indicator=i.to_string() data-kind=kind>
            <legend>{legend}</legend>
            <div class="row">{head}</div>
            {weight}
            <div class="rule row">{settings}</div>
            <div class="indicator-actions">
                {part(move || if confirm.get() {
                    view! {
                        <span class="confirm" role="group">
                            {t("indicator.remove_confirm")} " "
                            {small_button("indicator.remove_yes", "danger", move || ctx.edit_workbook(|wb| { scheme_edit::remove_indicator(wb, i); }))}
                            {small_button("action.cancel", "", move || confirm.set(false))}
                        </span>
                    }
                    .into_any()
                } else {
                    small_button("indicator.remove", "danger-quiet", move || confirm.set(true))
                })}
            </div>
        </fieldset>
    }
    .into_any()
}

/// A button that opens one of the scheme editor's dialogs (loaded on demand).
fn editor_button(ctx: Ctx, which: &'static str, label: &'static str, i: usize) -> AnyView {
    let id = format!("edit-{which}-{i}");
    let from = id.clone();
    view! { <button type="button" class="small" id=id on:click=move |_| on_demand::open_editor(ctx, which, i, from.clone())>{t(label)}</button> }.into_any()
}

/// The weight: a number field and a slider, kept in step; both rescore as they change.
fn weight_field(ctx: Ctx, i: usize, value: Option<f64>) -> AnyView {
    let place = format!("scheme.indicators[{i}].weight");
    let id = field_id(&place);
    let slider_id = format!("{id}-range");
    let msg_id = format!("{id}-msg");
    let w = RwSignal::new(value.unwrap_or(0.0));
    // Text of the number field: set only by the slider (typing keeps its own text).
    let text = RwSignal::new(value.map(plain_number).unwrap_or_default());
    let apply = move |x: f64| {
        ctx.edit_scheme(format!("weight/{i}"), move |s| {
            if let Some(ind) = s.indicators.get_mut(i) {
                ind.weight = Some(x);
            }
        });
    };
    let p = place.clone();
    let on_text = move |ev: leptos::ev::Event| match read(Kind::Num { optional: false }, &event_target_value(&ev)) {
        Ok(Val::Num(Some(x))) => {
            ctx.set_local_error(&p, None);
            w.set(x);
            apply(x);
        }
        Ok(_) => {}
        Err(k) => ctx.set_local_error(&p, Some(k)),
    };
    let p2 = place.clone();
    let on_slide = move |ev: leptos::ev::Event| {
        if let Ok(Figure::Number(x)) = parse_figure(&event_target_value(&ev)) {
            ctx.set_local_error(&p2, None);
            w.set(x);
            text.set(plain_number(x));
            apply(x);
        }
    };
    let p3 = place.clone();
    view! {
        <div class="field weight">
            <label for=id.clone()>{t("indicator.weight")}</label>
            <div class="weight-inputs">
                <input
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    class="weight-number num"
                    id=id
                    data-indicator=i.to_string()
                    prop:value=txt(move || text.get())
                    aria-describedby=msg_id
                    aria-invalid=opt_attr(move || field_message(ctx, &p3).filter(|m| m.1).map(|_| "true"))
                    on:input=on_text
                />
                <input
                    type="range"
                    class="weight-range"
                    id=slider_id
                    data-indicator=i.to_string()
                    min="0"
                    max="100"
                    step="0.5"
                    prop:value=txt(move || w.get().clamp(0.0, 100.0).to_string())
                    aria-label=txt(move || format!("{} {}", tr(ctx.lang.get(), "indicator.weight_slider"), i + 1))
                    on:input=on_slide
                    on:change=move |_| ctx.seal()
                />
            </div>
            {message_view(ctx, place)}
        </div>
    }
    .into_any()
}

fn bands_editor(ctx: Ctx, i: usize, tables: &[crate::model::BandTable]) -> AnyView {
    let seasons: Vec<(String, String)> = ctx.s.with_value(|s| s.wb.scheme.seasons.iter().map(|x| (x.id.clone(), if x.name.is_empty() { x.id.clone() } else { x.name.clone() })).collect());
    let can_add_table = tables.len() < seasons.len() + 1;
    let n_tables = tables.len();
    let mut parts: Vec<AnyView> = tables
        .iter()
        .enumerate()
        .map(|(ti, table)| {
            let tp = format!("scheme.indicators[{i}].rule.tables[{ti}]");
            let season = table.season.as_ref().map(|sid| seasons.iter().find(|(id, _)| id == sid).map_or_else(|| sid.clone(), |x| x.1.clone()));
            let title = txt(move || {
                let l = ctx.lang.get();
                format!("{} · {}", tr(l, "bands.table"), season.clone().unwrap_or_else(|| tr(l, "bands.all_year").to_string()))
            });
            let n = table.bands.len();
            let rows = (0..n)
                .map(|b| {
                    let x = Idx { i, t: ti, b };
                    let cell = |a: usize, c: usize| {
                        let parts: Vec<AnyView> = sf::BAND[a..c].iter().map(|spec| field(ctx, spec, x, true)).collect();
                        view! { <td class="edge"><div class="edge-inner"><span class="x" aria-hidden="true">"x"</span>{parts}</div></td> }.into_any()
                    };
                    let remove = (n > 1).then(|| {
                        view! {
                            <button type="button" class="small danger-quiet" aria-label=txt(move || format!("{} {}", tr(ctx.lang.get(), "bands.remove_row"), b + 1)) on:click=move |_| ctx.edit_scheme_rebuild(move |s| {
                                if let Some(tb) = scheme_edit::tables_mut(s, i).and_then(|x| x.get_mut(ti)) {
                                    scheme_edit::remove_band(&mut tb.bands, b);
                                }
                            })>
                                "×"
                            </button>
                        }
                    });
                    view! {
                        <tr data-band=b.to_string()>
                            {cell(0, 2)}
                            {cell(2, 4)}
                            <td>{field(ctx, &sf::BAND[4], x, true)}</td>
                            <td class="actions">{remove}</td>
                        </tr>
                    }
                    .into_any()
                })
                .collect_view();
            let remove_table = (n_tables > 1).then(|| small_button("bands.remove_table", "danger-quiet", move || ctx.edit_scheme_rebuild(move |s| { scheme_edit::remove_table(s, i, ti); })));
            let add_row = small_button("bands.add_row", "add-band", move || {
                ctx.edit_scheme_rebuild(move |s| {
                    if let Some(tb) = scheme_edit::tables_mut(s, i).and_then(|x| x.get_mut(ti)) {
                        scheme_edit::add_band(&mut tb.bands);
                    }
                })
            });
            view! {
                <div class="band-table-wrap" data-table=ti.to_string()>
                    <table class="bands">
                        <caption>{title} " " {remove_table}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t("bands.lower")}</th>
                                <th scope="col">{t("bands.upper")}</th>
                                <th scope="col">{t("bands.points")}</th>
                                <th scope="col"><span class="visually-hidden">{t("grid.actions")}</span></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    {message_view(ctx, format!("{tp}.bands"))}
                    {add_row}
                </div>
            }
            .into_any()
        })
        .collect();
    if can_add_table {
        parts.push(small_button("bands.add_table", "", move || ctx.edit_scheme_rebuild(move |s| { scheme_edit::add_table(s, i); })));
    }
    parts.push(field(ctx, &sf::GAP_POINTS, Idx::new(i), false));
    view! { <div class="bands-editor">{parts}</div> }.into_any()
}

/// Categories (full points, cap, floor), grades and the total rule.
#[component]
fn OtherSettings() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let content = part(move || {
        ctx.rev_scheme.track();
        let (cats, grades, bonus) = ctx.s.with_value(|s| (s.wb.scheme.categories.len(), s.wb.scheme.grades.bands.len(), s.wb.scheme.bonus.iter().map(|b| (b.kind.clone(), sf::bonus_kind_key(&b.kind))).collect::<Vec<_>>()));
        let group = |title: &'static str, specs: &'static [Spec], n: usize| -> AnyView {
            let rows: Vec<AnyView> = (0..n)
                .map(|k| {
                    let cells: Vec<AnyView> = specs.iter().map(|spec| field(ctx, spec, Idx::new(k), false)).collect();
                    view! { <div class="row">{cells}</div> }.into_any()
                })
                .collect();
            view! { <h3>{t(title)}</h3> {rows} }.into_any()
        };
        // The dialogs for the rest of the scheme (loaded on demand).
        let editors: Vec<AnyView> = [("metrics", "editors.metrics"), ("seasons", "editors.seasons"), ("grades", "editors.grades"), ("bonus", "editors.bonus")]
            .into_iter()
            .map(|(which, key)| editor_button(ctx, which, key, 0))
            .collect();
        let mut out: Vec<AnyView> = vec![view! { <div class="row">{editors}</div> }.into_any()];
        if cats > 0 {
            out.push(group("categories.title", &sf::CATEGORY_FIELDS, cats));
        }
        out.push(group("grades.title", &sf::GRADE_FIELDS, grades));
        out.push(group("total.title", &sf::TOTAL_FIELDS, 1));
        if !bonus.is_empty() {
            out.push(view! { <h3>{t("bonus.title")}</h3> }.into_any());
            for (k, (kind, key)) in bonus.into_iter().enumerate() {
                let mut cells: Vec<AnyView> = vec![field(ctx, &sf::BONUS_NAME, Idx::new(k), false)];
                cells.extend(sf::bonus_fields(&kind).iter().map(|spec| field(ctx, spec, Idx::new(k), false)));
                out.push(view! { <div class="row bonus" data-bonus=k.to_string()><span class="kind-tag">{t(key)}</span>{cells}</div> }.into_any());
            }
        }
        out.into_any()
    });
    view! { <div class="other-settings">{content}</div> }
}
