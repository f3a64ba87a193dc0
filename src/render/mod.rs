//! The render stage: a flat list of typed page jobs, each rendered from the immutable site
//! with Tera, in parallel.

pub mod charts;
pub mod csp;
pub mod feeds;
mod gap_view;
mod glance;
pub mod html_tokens;
pub mod linkcheck;
pub mod markdown;
pub mod nesting;
pub mod open_data;
pub mod sanitise;
mod spine;
mod svg_text;
mod theme;
mod view;

use crate::names::label;
pub use theme::Theme;

use crate::diagnostic::{Code, Diagnostic};
use crate::join::Facts;
use crate::names::hash::{ContentHash, Hasher};
use crate::render::markdown::Rendered;
use crate::resolve::authorities::LaCode;
use crate::resolve::content::Section;
use crate::resolve::routes;
use crate::resolve::site::{DocId, Site};
use crate::resolve::taxonomy::{
    GroupKind, Kind as TaxonomyKind, OutcomeKind, ThemeKind, Vocabulary,
};
use serde::Serialize;
use tera::{Context, Tera};
use view::{Card, LinkView, Pagination, Views};

/// Where a page's values go: the template's context when the page is rendered, or a hasher
/// when only its key is wanted. One function fills both, so the key cannot miss a value.
trait Fill {
    fn insert<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T);
}

/// The values of a page, hashed as JSON, name by name, without the text being built.
struct Keyed(Hasher);

impl Fill for Keyed {
    fn insert<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.0.part(name.as_bytes());
        // Serialising views into a hasher cannot fail: they hold no maps with non-string
        // keys, and the hasher never refuses bytes.
        let _ = serde_json::to_writer(&mut self.0, value);
        self.0.part(b"");
    }
}

/// A page's values into its template's context and, when wanted, its key.
struct Both {
    ctx: Context,
    key: Option<Keyed>,
}

impl Fill for Both {
    fn insert<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Some(key) = &mut self.key {
            key.insert(name, value);
        }
        self.ctx.insert(name, value);
    }
}

/// Items on one page of a listing.
pub const PER_PAGE: usize = 50;

/// The three vocabularies that have index and term pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taxonomy {
    Themes,
    Groups,
    Outcomes,
}

impl Taxonomy {
    pub const ALL: [Taxonomy; 3] = [Taxonomy::Themes, Taxonomy::Groups, Taxonomy::Outcomes];

    fn key(self) -> &'static str {
        match self {
            Taxonomy::Themes => ThemeKind::KEY,
            Taxonomy::Groups => GroupKind::KEY,
            Taxonomy::Outcomes => OutcomeKind::KEY,
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Taxonomy::Themes => ThemeKind::SINGULAR,
            Taxonomy::Groups => GroupKind::SINGULAR,
            Taxonomy::Outcomes => OutcomeKind::SINGULAR,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Taxonomy::Themes => "Themes",
            Taxonomy::Groups => "Groups of children",
            Taxonomy::Outcomes => "Outcomes",
        }
    }

    /// Each term's (name, description, URL path), in vocabulary order.
    fn terms(self, site: &Site) -> Vec<TermInfo<'_>> {
        fn infos<K: TaxonomyKind>(v: &Vocabulary<K>) -> Vec<TermInfo<'_>> {
            v.terms()
                .iter()
                .map(|t| TermInfo {
                    name: &t.name,
                    slug: t.slug.as_str(),
                    description: t.description.as_deref(),
                    url: routes::term(&t.slug),
                    singular: K::SINGULAR,
                    index_url: routes::taxonomy::<K>(),
                })
                .collect()
        }
        let tax = &site.taxonomies;
        match self {
            Taxonomy::Themes => infos::<ThemeKind>(&tax.themes),
            Taxonomy::Groups => infos::<GroupKind>(&tax.groups),
            Taxonomy::Outcomes => infos::<OutcomeKind>(&tax.outcomes),
        }
    }

    fn lists(self, facts: &Facts) -> &[Vec<DocId>] {
        match self {
            Taxonomy::Themes => &facts.themes,
            Taxonomy::Groups => &facts.groups,
            Taxonomy::Outcomes => &facts.outcomes,
        }
    }

    fn url(self) -> String {
        match self {
            Taxonomy::Themes => routes::taxonomy::<ThemeKind>(),
            Taxonomy::Groups => routes::taxonomy::<GroupKind>(),
            Taxonomy::Outcomes => routes::taxonomy::<OutcomeKind>(),
        }
    }
}

struct TermInfo<'a> {
    name: &'a str,
    slug: &'a str,
    description: Option<&'a str>,
    url: String,
    singular: &'static str,
    index_url: String,
}

/// The rows of an evidence map; its columns are always the outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapRows {
    Groups,
    Themes,
}

impl MapRows {
    pub const ALL: [MapRows; 2] = [MapRows::Groups, MapRows::Themes];

    fn taxonomy(self) -> Taxonomy {
        match self {
            MapRows::Groups => Taxonomy::Groups,
            MapRows::Themes => Taxonomy::Themes,
        }
    }

    fn cells(self, facts: &Facts) -> &[Vec<Vec<DocId>>] {
        match self {
            MapRows::Groups => &facts.group_outcome,
            MapRows::Themes => &facts.theme_outcome,
        }
    }

    fn cell_url(self, row: usize, outcome: usize, site: &Site) -> String {
        let rows = self.taxonomy().terms(site);
        let outcomes = Taxonomy::Outcomes.terms(site);
        routes::map_cell(
            self.taxonomy().key(),
            rows[row].slug,
            outcomes[outcome].slug,
        )
    }
}

/// One page to render.
#[derive(Debug, Clone)]
pub enum Job<'a> {
    Home,
    Document(DocId),
    /// A page (1-based) of a section listing.
    Section(Section, usize),
    Taxonomy(Taxonomy),
    /// Term index within its vocabulary, and page.
    Term(Taxonomy, usize, usize),
    Authorities,
    Authority(&'a LaCode, usize),
    /// One authority's figures for one indicator (by index).
    AuthorityIndicator(&'a LaCode, usize),
    Indicators,
    Indicator(usize),
    EvidenceMap,
    /// The documents of one map cell: rows, row term, outcome, page.
    MapCell(MapRows, usize, usize, usize),
    Search,
    NotFound,
}

/// Where the search page finds its client and its index.
#[derive(Debug, Clone, Serialize)]
pub struct SearchAssets {
    pub script: String,
    /// `None` when no index was built (`ntg check`).
    pub meta: Option<String>,
}

fn pages(n: usize) -> usize {
    n.div_ceil(PER_PAGE).max(1)
}

/// A page the last build rendered from a key (`Renderer::key`), at the path the key names:
/// what the cache keeps so that the next build can take that page as it is.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct PageDone;

/// One page of the plan, named by the site path it makes: the name two builds compare it
/// by and the cache keeps it under. Its job's indices point into this build's immutable
/// site and facts, and mean nothing outside it.
#[derive(Debug, Clone)]
pub struct Planned<'a> {
    /// The site path the page is written at: `/themes/engaging-parents/`.
    pub url: String,
    /// What the page shows.
    pub job: Job<'a>,
}

/// What a page needs besides the site: the search page needs the index's file names, so it
/// is rendered once the index is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// The resolved site alone.
    Site,
    /// The search index's file names too.
    SearchIndex,
}

impl Planned<'_> {
    /// What this page must wait for.
    pub fn needs(&self) -> Needs {
        match self.job {
            Job::Search => Needs::SearchIndex,
            _ => Needs::Site,
        }
    }
}

/// Every page of the site, each named by its site path, in a fixed order.
pub fn plan<'a>(site: &Site, facts: &'a Facts) -> Vec<Planned<'a>> {
    jobs(site, facts)
        .into_iter()
        .map(|job| Planned {
            url: job.url(site),
            job,
        })
        .collect()
}

fn jobs<'a>(site: &Site, facts: &'a Facts) -> Vec<Job<'a>> {
    let mut jobs = vec![Job::Home];
    jobs.extend((0..site.docs.len()).map(Job::Document));
    for section in Section::LISTED {
        let n = facts.sections.get(&section).map_or(0, Vec::len);
        jobs.extend((1..=pages(n)).map(|p| Job::Section(section, p)));
    }
    for tax in Taxonomy::ALL {
        jobs.push(Job::Taxonomy(tax));
        for (i, list) in tax.lists(facts).iter().enumerate() {
            jobs.extend((1..=pages(list.len())).map(|p| Job::Term(tax, i, p)));
        }
    }
    jobs.push(Job::Authorities);
    for (code, list) in &facts.authorities {
        jobs.extend((1..=pages(list.len())).map(|p| Job::Authority(code, p)));
        jobs.extend(
            (0..site.data.gaps.len())
                .filter(|&i| site.data.gaps[i].authorities.contains_key(code))
                .map(|i| Job::AuthorityIndicator(code, i)),
        );
    }
    let indicators = site.data.indicators.list.len();
    if indicators > 0 {
        jobs.push(Job::Indicators);
        jobs.extend((0..indicators).map(Job::Indicator));
    }
    jobs.push(Job::EvidenceMap);
    for rows in MapRows::ALL {
        for (r, row) in rows.cells(facts).iter().enumerate() {
            for (o, docs) in row.iter().enumerate() {
                if !docs.is_empty() {
                    jobs.extend((1..=pages(docs.len())).map(|p| Job::MapCell(rows, r, o, p)));
                }
            }
        }
    }
    jobs.push(Job::Search);
    jobs.push(Job::NotFound);
    jobs
}

impl Job<'_> {
    /// The site path this job writes.
    fn url(&self, site: &Site) -> String {
        match self {
            Job::Home => routes::home(),
            Job::Document(id) => site.docs[*id].url.clone(),
            Job::Section(s, p) => routes::paginated(&routes::section(*s), *p),
            Job::Taxonomy(t) => t.url(),
            Job::Term(t, i, p) => routes::paginated(&t.terms(site)[*i].url, *p),
            Job::Authorities => routes::authorities(),
            Job::Authority(code, p) => routes::paginated(&routes::authority(code), *p),
            Job::AuthorityIndicator(code, i) => {
                routes::authority_indicator(code, &site.data.indicators.list[*i].id)
            }
            Job::Indicators => routes::indicators(),
            Job::Indicator(i) => routes::indicator(&site.data.indicators.list[*i].id),
            Job::EvidenceMap => routes::evidence_map(),
            Job::MapCell(rows, r, o, p) => routes::paginated(&rows.cell_url(*r, *o, site), *p),
            Job::Search => routes::search(),
            Job::NotFound => "/404.html".into(),
        }
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    home: String,
    stylesheet: String,
    /// The header's Menu button on small screens.
    menu_script: String,
    favicon: String,
    /// The Content-Security-Policy, for the page's `<meta>`.
    csp: String,
    feed: String,
    search: String,
    nav: Vec<NavItem>,
    footer: Vec<LinkView>,
}

#[derive(Serialize)]
struct NavItem {
    title: &'static str,
    href: String,
    /// `page` on the section's own page, `true` below it: aria-current's two meanings here.
    current: Option<&'static str>,
}

#[derive(Serialize)]
struct PageMeta {
    title: String,
    canonical: String,
    /// What the site says about the page: a document's summary, a term's description, a
    /// section's `_index.md`. A template that words its own page sets `description` instead.
    description: Option<String>,
    breadcrumbs: Vec<LinkView>,
}

/// Everything the render stage needs besides the site itself.
pub struct Renderer<'a> {
    site: &'a Site,
    facts: &'a Facts,
    bodies: &'a [Rendered],
    home_html: &'a str,
    tera: Tera,
    /// Links to the free pages, shown in every page's footer.
    footer: Vec<LinkView>,
    /// Where each template came from, for errors met while rendering.
    templates: Vec<(String, String)>,
    asset_version: String,
    /// What every page's key starts from: the templates, by name and source.
    templates_key: ContentHash,
    /// The gap views pages show, drawn once (see `Views::all_authority_indicators`).
    gaps: gap_view::AuthorityIndicators,
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        facts: &'a Facts,
        theme: &Theme,
        bodies: &'a [Rendered],
        home_html: &'a str,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // All at once: templates extend and call components of one another.
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|t| (t.name.as_str(), t.source.as_str())),
        )
        .map_err(|e| vec![template_diagnostic(&e, theme, "template error")])?;
        // Every page links the stylesheet and the menu script with this version, so a
        // browser refetches them when either changes.
        let assets: Vec<u8> = ["css/ntg.css", "js/menu.js"]
            .iter()
            .filter_map(|f| theme.static_files.get(*f))
            .flatten()
            .copied()
            .collect();
        Ok(Renderer {
            site,
            facts,
            bodies,
            home_html,
            tera,
            footer: facts
                .sections
                .get(&Section::Pages)
                .into_iter()
                .flatten()
                .map(|&id| Views { site, facts }.doc_link(id))
                .collect(),
            templates: theme
                .templates
                .iter()
                .map(|t| (t.name.clone(), t.origin.clone()))
                .collect(),
            asset_version: format!("{:08x}", crate::names::hash::fnv1a(&assets) as u32),
            templates_key: {
                let mut h = Hasher::new();
                h.part(b"pages");
                for t in &theme.templates {
                    h.part(t.name.as_bytes()).part(t.source.as_bytes());
                }
                h.finish()
            },
            gaps: Views { site, facts }.all_authority_indicators(),
        })
    }

    fn views(&self) -> Views<'a> {
        Views {
            site: self.site,
            facts: self.facts,
        }
    }

    fn site_view(&self, current: &str) -> SiteView<'a> {
        let site = self.site;
        let href = |p: &str| site.href(p);
        let mut nav_targets: Vec<(&'static str, String)> = vec![
            ("Case studies", routes::section(Section::CaseStudies)),
            ("Hypotheses", routes::section(Section::Hypotheses)),
            ("Evidence", routes::section(Section::Evidence)),
            ("Themes", Taxonomy::Themes.url()),
            ("Groups", Taxonomy::Groups.url()),
            ("Outcomes", Taxonomy::Outcomes.url()),
            ("Local authorities", routes::authorities()),
        ];
        if !site.data.indicators.list.is_empty() {
            nav_targets.push(("Gap data", routes::indicators()));
        }
        nav_targets.push(("Evidence map", routes::evidence_map()));
        let nav = nav_targets
            .into_iter()
            .map(|(title, url)| {
                let here = if current == url {
                    Some("page")
                } else {
                    current.starts_with(&url).then_some("true")
                };
                NavItem {
                    title,
                    current: here,
                    href: href(&url),
                }
            })
            .collect();
        SiteView {
            title: &site.config.title,
            description: site.config.description.as_deref(),
            language: &site.config.language,
            home: href("/"),
            stylesheet: format!("{}?v={}", href("/css/ntg.css"), self.asset_version),
            menu_script: format!("{}?v={}", href("/js/menu.js"), self.asset_version),
            favicon: href("/favicon.svg"),
            csp: crate::render::csp::policy(),
            feed: href("/atom.xml"),
            search: href(&routes::search()),
            nav,
            footer: self.footer.clone(),
        }
    }

    /// The hash of everything a page is rendered from: its template set, its template and
    /// every value its template is given. Equal keys render equal bytes, so a page whose key
    /// the last build rendered need not be rendered again.
    pub fn key(&self, page: &Planned, search: &SearchAssets) -> ContentHash {
        let mut key = Keyed(self.keyer());
        let template = self.fill(page, search, &mut key);
        key.0.part(template.as_bytes());
        key.0.finish()
    }

    /// Renders one page to HTML, and its key too with `keyed` (one pass for both, where a
    /// key alone and then the page would fill the page's values twice).
    pub fn render(
        &self,
        page: &Planned,
        search: &SearchAssets,
        keyed: bool,
    ) -> Result<(String, Option<ContentHash>), Diagnostic> {
        let mut both = Both {
            ctx: Context::new(),
            key: keyed.then(|| Keyed(self.keyer())),
        };
        let template = self.fill(page, search, &mut both);
        let key = both.key.map(|mut k| {
            k.0.part(template.as_bytes());
            k.0.finish()
        });
        let html = self.tera.render(&template, &both.ctx).map_err(|e| {
            let what = format!("cannot render {}", page.url);
            template_diagnostic(&e, &self.templates, &what)
        })?;
        Ok((html, key))
    }

    /// What every page's key starts from.
    fn keyer(&self) -> Hasher {
        let mut h = Hasher::new();
        h.part(&self.templates_key.to_bytes());
        h
    }

    /// Gives `ctx` every value the page's template is given, and returns the template's name.
    fn fill<F: Fill>(&self, page: &Planned, search: &SearchAssets, ctx: &mut F) -> String {
        let site = self.site;
        let views = self.views();
        let url = &page.url;
        let job = &page.job;
        let home_crumb = || views.link("Home", "/");
        let (template, title, description, crumbs): (
            String,
            String,
            Option<String>,
            Vec<LinkView>,
        ) = match job {
            Job::Home => {
                #[derive(Serialize)]
                struct SectionSummary {
                    title: &'static str,
                    href: String,
                    count: usize,
                }
                let sections: Vec<SectionSummary> = Section::LISTED
                    .iter()
                    .map(|&s| SectionSummary {
                        title: s.title(),
                        href: site.href(&routes::section(s)),
                        count: self.facts.sections.get(&s).map_or(0, Vec::len),
                    })
                    .collect();
                let latest: Vec<Card> = self
                    .facts
                    .sections
                    .get(&Section::CaseStudies)
                    .into_iter()
                    .flatten()
                    .take(5)
                    .map(|&id| views.card(id))
                    .collect();
                let mut data_links = Vec::new();
                if !site.data.indicators.list.is_empty() {
                    data_links.push(views.link("Gap data", &routes::indicators()));
                }
                data_links.push(views.link("Evidence and gap map", &routes::evidence_map()));
                ctx.insert("data_links", &data_links);
                ctx.insert("intro", self.home_html);
                ctx.insert("sections", &sections);
                ctx.insert("latest", &latest);
                ctx.insert("themes", &self.term_summaries(Taxonomy::Themes));
                let title = site
                    .home
                    .as_ref()
                    .and_then(|h| h.title.clone())
                    .unwrap_or_else(|| site.config.title.clone());
                (
                    "home.html".into(),
                    title,
                    site.config.description.clone(),
                    vec![],
                )
            }
            Job::Document(id) => {
                let d = &site.docs[*id];
                let body = &self.bodies[*id];
                ctx.insert("doc", &views.doc(*id, &body.html, &body.headings));
                if let crate::resolve::content::Kind::CaseStudy(c) = &d.kind {
                    let data = &site.data.indicators;
                    let gaps: Vec<_> = c
                        .indicators
                        .iter()
                        .flat_map(|i| {
                            c.local_authorities
                                .iter()
                                .filter_map(|la| self.gaps.get(data.index(i), la))
                        })
                        .collect();
                    ctx.insert("gaps", &gaps);
                }
                let section = d.section();
                let template = format!(
                    "{}.html",
                    if section == Section::Pages {
                        "page"
                    } else {
                        section.type_name()
                    }
                );
                let mut crumbs = vec![home_crumb()];
                if section != Section::Pages {
                    crumbs.push(views.link(section.title(), &routes::section(section)));
                }
                (
                    template,
                    d.common.title.clone(),
                    d.common.summary.clone(),
                    crumbs,
                )
            }
            Job::Section(section, page) => {
                let list = self
                    .facts
                    .sections
                    .get(section)
                    .map_or(&[][..], Vec::as_slice);
                self.insert_listing(ctx, list, &routes::section(*section), *page);
                let index = site.section_index(*section);
                let heading = index
                    .and_then(|i| i.title.as_deref())
                    .unwrap_or(section.title());
                ctx.insert("heading", heading);
                (
                    "list.html".into(),
                    paged_title(heading, *page),
                    index.and_then(|i| i.description.clone()),
                    vec![home_crumb()],
                )
            }
            Job::Taxonomy(tax) => {
                ctx.insert("heading", tax.title());
                ctx.insert("taxonomy", tax.key());
                ctx.insert("terms", &self.term_summaries(*tax));
                (
                    "taxonomy.html".into(),
                    tax.title().into(),
                    None,
                    vec![home_crumb()],
                )
            }
            Job::Term(tax, i, page) => {
                let info = &tax.terms(site)[*i];
                let list = &tax.lists(self.facts)[*i];
                self.insert_listing(ctx, list, &info.url, *page);
                ctx.insert("heading", info.name);
                ctx.insert("caption", &label(info.singular));
                let measured_by = match tax {
                    Taxonomy::Groups => Some(&self.facts.indicators_by_group[*i]),
                    Taxonomy::Outcomes => Some(&self.facts.indicators_by_outcome[*i]),
                    Taxonomy::Themes => None,
                };
                if let Some(list) = measured_by.filter(|_| *page == 1) {
                    let briefs: Vec<_> = list.iter().map(|&i| views.indicator_brief(i)).collect();
                    ctx.insert("indicators", &briefs);
                }
                (
                    "list.html".into(),
                    paged_title(info.name, *page),
                    info.description.map(str::to_string),
                    vec![home_crumb(), views.link(tax.title(), &info.index_url)],
                )
            }
            Job::Authorities => {
                ctx.insert("regions", &self.regions());
                (
                    "authorities.html".into(),
                    "Local authorities".into(),
                    None,
                    vec![home_crumb()],
                )
            }
            Job::Authority(code, page) => {
                let la = site.authorities.get(code);
                let list = &self.facts.authorities[*code];
                self.insert_listing(ctx, list, &routes::authority(code), *page);
                ctx.insert("heading", &la.name);
                ctx.insert("caption", &format!("Local authority, {}", la.region));
                ctx.insert("code", &la.code.to_string());
                if *page == 1 {
                    let glance = views.glance(code, &self.gaps);
                    if glance.is_some() {
                        let base = routes::authority_data(code);
                        ctx.insert("csv", &site.href(&format!("{base}.csv")));
                        ctx.insert("json", &site.href(&format!("{base}.json")));
                    }
                    ctx.insert("glance", &glance);
                    ctx.insert("neighbours", &views.neighbours(code));
                }
                (
                    "authority.html".into(),
                    paged_title(&la.name, *page),
                    None,
                    vec![
                        home_crumb(),
                        views.link("Local authorities", &routes::authorities()),
                    ],
                )
            }
            Job::AuthorityIndicator(code, i) => {
                let la = site.authorities.get(code);
                let ind = &site.data.indicators.list[*i];
                ctx.insert("g", &self.gaps.get(*i, code));
                ctx.insert(
                    "indicator",
                    &views.link(&ind.title, &routes::indicator(&ind.id)),
                );
                (
                    "authority-indicator.html".into(),
                    format!("{}: {}", la.name, ind.title),
                    None,
                    vec![
                        home_crumb(),
                        views.link("Local authorities", &routes::authorities()),
                        views.link(&la.name, &routes::authority(code)),
                    ],
                )
            }
            Job::Indicators => {
                let briefs: Vec<_> = (0..site.data.indicators.list.len())
                    .map(|i| views.indicator_brief(i))
                    .collect();
                ctx.insert("indicators", &briefs);
                (
                    "indicators.html".into(),
                    "Gap data".into(),
                    None,
                    vec![home_crumb()],
                )
            }
            Job::Indicator(i) => {
                let page = views.indicator_page(*i);
                let title = page.brief.title.clone();
                ctx.insert("ind", &page);
                (
                    "indicator.html".into(),
                    title,
                    None,
                    vec![home_crumb(), views.link("Gap data", &routes::indicators())],
                )
            }
            Job::EvidenceMap => {
                let maps: Vec<_> = MapRows::ALL.iter().map(|&r| views.map(r)).collect();
                ctx.insert("maps", &maps);
                ctx.insert("levels", &views.map_levels());
                (
                    "evidence-map.html".into(),
                    "Evidence and gap map".into(),
                    None,
                    vec![home_crumb()],
                )
            }
            Job::MapCell(rows, r, o, page) => {
                let list = &rows.cells(self.facts)[*r][*o];
                let row = &rows.taxonomy().terms(site)[*r];
                let outcome = &Taxonomy::Outcomes.terms(site)[*o];
                self.insert_listing(ctx, list, &rows.cell_url(*r, *o, site), *page);
                let heading = format!("{} and {}", row.name, outcome.name.to_lowercase());
                ctx.insert("heading", &heading);
                ctx.insert("caption", "Evidence and gap map");
                ctx.insert(
                    "cell",
                    &CellView {
                        singular: rows.taxonomy().singular(),
                        row: row.name,
                        outcome: outcome.name,
                    },
                );
                (
                    "map-cell.html".into(),
                    paged_title(&heading, *page),
                    None,
                    vec![
                        home_crumb(),
                        views.link("Evidence and gap map", &routes::evidence_map()),
                    ],
                )
            }
            Job::Search => {
                ctx.insert("search", search);
                ctx.insert("facets", &self.search_facets());
                ctx.insert("browse", &self.browse_links());
                (
                    "search.html".into(),
                    "Search".into(),
                    None,
                    vec![home_crumb()],
                )
            }
            Job::NotFound => ("404.html".into(), "Page not found".into(), None, vec![]),
        };
        ctx.insert("site", &self.site_view(url));
        ctx.insert(
            "page",
            &PageMeta {
                title,
                canonical: site.config.base_url.absolute(url),
                description,
                breadcrumbs: crumbs,
            },
        );
        template
    }

    fn insert_listing<F: Fill>(&self, ctx: &mut F, list: &[DocId], first: &str, page: usize) {
        let views = self.views();
        let items: Vec<Card> = list
            .iter()
            .skip((page - 1) * PER_PAGE)
            .take(PER_PAGE)
            .map(|&id| views.card(id))
            .collect();
        ctx.insert("items", &items);
        ctx.insert("total", &list.len());
        ctx.insert("first_item", &((page - 1) * PER_PAGE + 1));
        ctx.insert(
            "pagination",
            &Pagination::new(self.site, first, page, pages(list.len())),
        );
    }

    /// The search page's filters, one fieldset per facet.
    fn search_facets(&self) -> Vec<FacetView> {
        crate::join::facets::Facet::ALL
            .iter()
            .map(|f| FacetView {
                key: f.key(),
                title: f.title(),
                values: f
                    .values(self.site)
                    .into_iter()
                    .map(|(value, label)| FacetValue { value, label })
                    .collect(),
            })
            .collect()
    }

    /// The listing pages that answer what search would, for readers without JavaScript.
    fn browse_links(&self) -> Vec<LinkView> {
        let views = self.views();
        let mut links: Vec<LinkView> = Section::LISTED
            .iter()
            .map(|&s| views.link(s.title(), &routes::section(s)))
            .collect();
        for tax in Taxonomy::ALL {
            links.push(views.link(tax.title(), &tax.url()));
        }
        links.push(views.link("Local authorities by region", &routes::authorities()));
        links.push(views.link("Evidence and gap map", &routes::evidence_map()));
        links
    }

    fn term_summaries(&self, tax: Taxonomy) -> Vec<TermSummary> {
        let lists = tax.lists(self.facts);
        tax.terms(self.site)
            .iter()
            .zip(lists)
            .map(|(t, list)| TermSummary {
                name: t.name.to_string(),
                href: self.site.href(&t.url),
                description: t.description.map(str::to_string),
                count: list.len(),
            })
            .collect()
    }

    fn regions(&self) -> Vec<RegionView> {
        let mut regions: Vec<RegionView> = Vec::new();
        let mut las: Vec<(&str, &str, &LaCode, usize)> = self
            .facts
            .authorities
            .iter()
            .map(|(code, list)| {
                let la = self.site.authorities.get(code);
                (la.region.as_str(), la.name.as_str(), code, list.len())
            })
            .collect();
        las.sort();
        for (region, name, code, count) in las {
            if regions.last().is_none_or(|r| r.name != region) {
                regions.push(RegionView {
                    name: region.to_string(),
                    authorities: Vec::new(),
                });
            }
            regions
                .last_mut()
                .expect("pushed above")
                .authorities
                .push(AuthorityView {
                    name: name.to_string(),
                    code: code.to_string(),
                    href: self.site.href(&routes::authority(code)),
                    count,
                });
        }
        regions
    }
}

#[derive(Serialize)]
struct TermSummary {
    name: String,
    href: String,
    description: Option<String>,
    count: usize,
}

/// What map-cell.html words its introduction from: the row's kind of term, the row and the
/// outcome.
#[derive(Serialize)]
struct CellView<'a> {
    singular: &'static str,
    row: &'a str,
    outcome: &'a str,
}

#[derive(Serialize)]
struct FacetView {
    key: &'static str,
    title: &'static str,
    values: Vec<FacetValue>,
}

#[derive(Serialize)]
struct FacetValue {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct RegionView {
    name: String,
    authorities: Vec<AuthorityView>,
}

#[derive(Serialize)]
struct AuthorityView {
    name: String,
    code: String,
    href: String,
    count: usize,
}

fn paged_title(title: &str, page: usize) -> String {
    if page > 1 {
        format!("{title} (page {page})")
    } else {
        title.to_string()
    }
}

/// Anything that can say which file a template name came from.
trait Origins {
    fn origin(&self, name: &str) -> Option<&str>;
}

impl Origins for Theme {
    fn origin(&self, name: &str) -> Option<&str> {
        self.templates
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.origin.as_str())
    }
}

impl Origins for Vec<(String, String)> {
    fn origin(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(n, _)| n == name)
            .map(|(_, o)| o.as_str())
    }
}

/// A Tera error as a diagnostic on the template file it is about, at its line and column
/// when Tera knows them.
fn template_diagnostic(e: &tera::Error, origins: &dyn Origins, what: &str) -> Diagnostic {
    let located = |name: &str| origins.origin(name).unwrap_or("templates").to_string();
    let at = |code, r: &tera::ReportError| {
        Diagnostic::at(
            code,
            &located(r.filename()),
            crate::diagnostic::Pos::new(r.span().start_line, r.span().start_col + 1),
            format!("{what}: {}", r.message()),
        )
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) => at(Code::TemplateSyntax, r),
        tera::ErrorKind::RenderingError(r) => at(Code::TemplateRender, r),
        tera::ErrorKind::MissingParent { current, .. } => Diagnostic::new(
            Code::MissingParentTemplate,
            located(current),
            None,
            format!("{what}: {}", error_chain(e)),
        ),
        _ => Diagnostic::new(
            Code::TemplateError,
            "templates",
            None,
            format!("{what}: {}", error_chain(e)),
        ),
    }
}

/// Tera nests the cause of a render error; a person needs all of it.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}
