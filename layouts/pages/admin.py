"""系统管理: user accounts, areas and units (no business data, per separation of duties)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, html, no_update

from cockpit.auth.guard import client_ip, current_user, guarded
from cockpit.auth.users import UserError, create_user, reset_password, update_account
from cockpit.core import store
from cockpit.core.audit import Actor
from cockpit.core.i18n import N_, _, fmt_number
from cockpit.core.roles import ROLE_LABELS, ROLES
from cockpit.core.store import User
from layouts.components.common import page_header, panel, stat_card
from layouts.context import services

FEEDBACK = "admin-feedback"
USER_TABLE = "admin-user-table"
NEW = {k: f"admin-new-{k}" for k in ("id", "name", "role", "area", "unit", "submit")}
EDIT = {k: f"admin-edit-{k}" for k in ("user", "role", "area", "unit", "submit")}
ROW_ACTION = "admin-row-action"
DRILL = {k: f"admin-drill-{k}" for k in ("name", "minutes", "submit", "feedback")}


def layout(user: User, params: dict):
    """The administrator's accounts page."""
    db = services().db
    accounts = store.users(db)
    area_options = [{"label": f"{a.name} ({a.code})", "value": a.code} for a in store.areas(db)]
    unit_options = [{"label": u["name"], "value": u["unit_id"]} for u in store.units(db)]
    role_options = [{"label": _(ROLE_LABELS[r]), "value": r} for r in ROLES]
    user_options = [{"label": f"{u.display_name} ({u.user_id})", "value": u.user_id}
                    for u in accounts if u.user_id != user.user_id]
    create = dbc.Row([
        dbc.Col(dbc.Input(id=NEW["id"], placeholder=_("User name")), md=2),
        dbc.Col(dbc.Input(id=NEW["name"], placeholder=_("Name")), md=2),
        dbc.Col(dbc.Select(id=NEW["role"], options=role_options, placeholder=_("Role")), md=2),
        dbc.Col(dbc.Select(id=NEW["area"], options=area_options, value=user.area_code), md=2),
        dbc.Col(dbc.Select(id=NEW["unit"], options=unit_options, placeholder=_("No unit")), md=2),
        dbc.Col(dbc.Button(_("Create account"), id=NEW["submit"], color="primary", className="w-100"), md=2),
    ], className="g-2")
    edit = dbc.Row([
        dbc.Col(dbc.Select(id=EDIT["user"], options=user_options, placeholder=_("Account")), md=3),
        dbc.Col(dbc.Select(id=EDIT["role"], options=role_options, placeholder=_("Role")), md=2),
        dbc.Col(dbc.Select(id=EDIT["area"], options=area_options, placeholder=_("Area")), md=3),
        dbc.Col(dbc.Select(id=EDIT["unit"], options=unit_options, placeholder=_("Unit")), md=2),
        dbc.Col(dbc.Button(_("Save changes"), id=EDIT["submit"], color="secondary", className="w-100"), md=2),
    ], className="g-2")
    return html.Div([
        page_header(_("System administration"), _("Accounts, areas and units")),
        dbc.Row([
            dbc.Col(stat_card(_("Accounts"), fmt_number(len(accounts))), md=4),
            dbc.Col(stat_card(_("Areas"), fmt_number(len(area_options))), md=4),
            dbc.Col(stat_card(_("Units"), fmt_number(len(unit_options))), md=4),
        ], className="g-3 mb-3"),
        html.Div(id=FEEDBACK),
        panel(_("New account"), create, class_name="mb-3"),
        panel(_("Change role, area or unit"), edit, class_name="mb-3"),
        panel(_("User accounts"), html.Div(user_table(user), id=USER_TABLE), class_name="mb-3"),
        *drill_panel(),
    ])


def drill_panel() -> list:
    """The drill (应急演练) panel, present only while the deployment runs a simulated city."""
    drills = services().drills
    if drills is None:
        return []
    options = [{"label": title, "value": name} for name, title in drills.titles().items()]
    form = dbc.Row([
        dbc.Col(dbc.Select(id=DRILL["name"], options=options, placeholder=_("Drill")), md=5),
        dbc.Col(dbc.InputGroup([dbc.Input(id=DRILL["minutes"], type="number", min=5, max=720, step=5, value=60),
                                dbc.InputGroupText(_("minutes"))]), md=3),
        dbc.Col(dbc.Button(_("Start drill"), id=DRILL["submit"], color="warning", className="w-100"), md=4),
    ], className="g-2")
    hint = html.P(_("Drills move the simulated departments' data (demo data only); the warnings, plans and tasks "
                    "they cause appear on the duty desk."), className="text-muted small mb-2")
    return [panel(_("Emergency drills (simulated city)"), html.Div([hint, form, html.Div(id=DRILL["feedback"],
                                                                                        className="mt-2")]))]


@callback(Output(DRILL["feedback"], "children"), Input(DRILL["submit"], "n_clicks"),
          State(DRILL["name"], "value"), State(DRILL["minutes"], "value"), prevent_initial_call=True)
@guarded(["admin"])
def start_drill(clicks, name, minutes):
    """Start a drill in the simulated city; the drill control audits every attempt."""
    drills = services().drills
    if not clicks or drills is None:
        return no_update
    if not name:
        return dbc.Alert(_("Choose a drill."), color="danger")
    try:
        minutes = max(5.0, min(720.0, float(minutes or 60)))
        drill = drills.start(Actor(current_user().user_id, client_ip()), name, minutes, services().clock)
    except (TypeError, ValueError) as exc:
        return dbc.Alert(_("The drill was refused: {reason}", reason=str(exc)), color="danger")
    except ConnectionError:
        return dbc.Alert(_("The simulated city is not running, so no drill was started."), color="danger")
    return dbc.Alert(_("Drill {title} started; it ends at {ends}.", title=drill.get("title", name),
                       ends=str(drill.get("ends", ""))[:16].replace("T", " ")), color="success")


def user_table(viewer: User):
    """The accounts table with the actions an administrator may take on each (never on their own account)."""
    db = services().db
    area_names = {a.code: a.name for a in store.areas(db)}
    unit_names = {u["unit_id"]: u["short"] or u["name"] for u in store.units(db)}
    now = services().clock.now()
    rows = []
    for u in store.users(db):
        locked = u.locked_until is not None and u.locked_until > now
        status = (dbc.Badge(_("Disabled"), color="secondary") if u.disabled else
                  dbc.Badge(_("Locked"), color="danger") if locked else dbc.Badge(_("Active"), color="success"))
        actions = [] if u.user_id == viewer.user_id else [
            _action(u.user_id, "enable" if u.disabled else "disable", _("Enable") if u.disabled else _("Disable")),
            _action(u.user_id, "unlock", _("Unlock")) if locked else None,
            _action(u.user_id, "reset", _("Reset password")),
        ]
        rows.append(html.Tr([
            html.Td(u.user_id, className="code"), html.Td(u.display_name), html.Td(_(ROLE_LABELS[u.role])),
            html.Td(area_names.get(u.area_code, u.area_code)), html.Td(unit_names.get(u.unit_id, "—")),
            html.Td(status), html.Td([a for a in actions if a is not None], className="text-nowrap"),
        ]))
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(_("User name")), html.Th(_("Name")), html.Th(_("Role")), html.Th(_("Area")),
                             html.Th(_("Unit")), html.Th(_("Status")), html.Th(_("Actions"))])), html.Tbody(rows)],
        size="sm", hover=True, responsive=True, id="user-table")


def _action(user_id: str, action: str, label: str):
    return dbc.Button(label, id={"type": ROW_ACTION, "action": action, "user": user_id}, size="sm",
                      color="link", className="p-0 me-2")


@callback(Output(FEEDBACK, "children"), Output(USER_TABLE, "children"),
          Input(NEW["submit"], "n_clicks"), Input(EDIT["submit"], "n_clicks"),
          Input({"type": ROW_ACTION, "action": ALL, "user": ALL}, "n_clicks"),
          State(NEW["id"], "value"), State(NEW["name"], "value"), State(NEW["role"], "value"),
          State(NEW["area"], "value"), State(NEW["unit"], "value"),
          State(EDIT["user"], "value"), State(EDIT["role"], "value"), State(EDIT["area"], "value"),
          State(EDIT["unit"], "value"), prevent_initial_call=True)
@guarded(["admin"])
def manage_accounts(_new, _edit, row_clicks, new_id, new_name, new_role, new_area, new_unit,
                    edit_user, edit_role, edit_area, edit_unit):
    """Create an account, change one, or act on a row; every change goes through the audited domain functions."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    svc = services()
    admin = current_user()
    actor = Actor(admin.user_id, client_ip())
    trigger = ctx.triggered_id
    try:
        if trigger == NEW["submit"]:
            if not (new_id and new_name and new_role and new_area):
                raise UserError(N_("Fill in user name, name, role and area."))
            password = create_user(svc.db, actor, new_id.strip(), new_name.strip(), new_role, new_area,
                                   new_unit or None, clock=svc.clock)
            message = _("Account {user} created. Initial password (shown once): {password}", user=new_id,
                        password=password)
        elif trigger == EDIT["submit"]:
            if not edit_user:
                raise UserError(N_("Choose an account."))
            update_account(svc.db, actor, edit_user, role=edit_role or None, area_code=edit_area or None,
                           unit_id=edit_unit or None, clock=svc.clock)
            message = _("Account {user} updated.", user=edit_user)
        else:
            user_id, action = trigger["user"], trigger["action"]
            if action == "reset":
                password = reset_password(svc.db, actor, user_id, clock=svc.clock)
                message = _("New password for {user} (shown once; must be changed at next login): {password}",
                            user=user_id, password=password)
            else:
                update_account(svc.db, actor, user_id, disabled={"disable": True, "enable": False}.get(action),
                               unlock=action == "unlock", clock=svc.clock)
                message = _("Account {user} updated.", user=user_id)
        alert = dbc.Alert(message, color="success", dismissable=True, id="admin-result")
    except UserError as exc:
        alert = dbc.Alert(_(str(exc), **exc.values), color="danger", dismissable=True, id="admin-result")
    return alert, user_table(admin)
