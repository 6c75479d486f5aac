"""Held-out hand-written services (see ``assistant/distill/written/__init__.py``): set G.

No stage of ``make model`` trains on sets F-I: the ``written_heldout`` category draws from them
alone (``assistant/distill/tasks/written.py``).
"""

from __future__ import annotations

from assistant.distill.written import (
    YES,
    Action,
    Domain,
    Param,
    clock,
    code,
    count,
    date,
    decimal,
    month,
    words,
)

# -- shared parameters ------------------------------------------------------------------------
LICENSED_PRODUCT = Param(
    "product",
    "string",
    "Software product name as on the licence, e.g. 'AutoCAD'.",
    words("Adobe Acrobat Pro", "AutoCAD", "IntelliJ IDEA", "Microsoft Visio", "MATLAB"),
)
RACK = Param("rack", "string", "Rack id as hall letter and number, e.g. 'R-B07'.", code("R-@##"))
DOMAIN_NAME = Param(
    "domain_name",
    "string",
    "Fully qualified domain name, e.g. 'oakbarrow.com'.",
    words(
        "harbourlights.co.uk", "oakbarrow.com", "peakfolk.org.uk", "tidymint.io",
        "northgate-joinery.co.uk",
    ),
)  # fmt: skip
PAYROLL_NO = Param(
    "employee_no", "string", "Payroll employee number, e.g. 'PY-40217'.", code("PY-#####")
)
LEAVE_STAFF = Param("staff_no", "string", "HR staff number, e.g. 'HR-2291'.", code("HR-####"))
UNIFORM_ITEM = Param(
    "item",
    "string",
    "Uniform item name as in the shop list.",
    words("blazer", "PE polo shirt", "V-neck jumper", "pleated skirt", "book bag", "fleece"),
)
VENDING_MACHINE = Param(
    "machine_id", "string", "Machine id from the sticker on the front, e.g. 'VM-204'.",
    code("VM-###"),
)  # fmt: skip
LAB_INSTRUMENT = Param(
    "instrument",
    "string",
    "Instrument name as in the core facility list.",
    words(
        "confocal microscope", "flow cytometer", "PCR thermocycler", "HPLC system",
        "ultracentrifuge",
    ),
)  # fmt: skip
CLUB = Param(
    "club", "string", "After-school club.",
    (("football", "football"), ("football", "footie"), ("coding", "coding"),
     ("coding", "Code Club"), ("drama", "drama"), ("art", "art"), ("art", "art and craft")),
    enum=("football", "coding", "drama", "art"),
)  # fmt: skip
TENANCY_ROOM = Param(
    "room_ref",
    "string",
    "Room reference as on the tenancy agreement, e.g. 'TH-B214'.",
    code("TH-@###"),
)

DOMAINS: list[Domain] = [
    # -- IT helpdesk ----------------------------------------------------------------------------
    Domain(
        "it_helpdesk_tickets",
        "IT helpdesk tickets",
        (
            Action(
                "raise_helpdesk_ticket",
                "Raise a ticket with the internal IT helpdesk for a member of staff.",
                (
                    Param("staff_id", "string", "Staff id, e.g. 'EMP-4410'.", code("EMP-####")),
                    Param(
                        "category",
                        "string",
                        "Kind of problem.",
                        (
                            ("hardware", "hardware"),
                            ("hardware", "laptop"),
                            ("software", "software"),
                            ("software", "app"),
                            ("access", "access"),
                            ("access", "login"),
                            ("network", "network"),
                            ("network", "Wi-Fi"),
                        ),
                        enum=("hardware", "software", "access", "network"),
                    ),
                    Param(
                        "urgent",
                        "boolean",
                        "Flag the ticket as urgent (the user cannot work).",
                        YES,
                        say=(" It's urgent - I can't work.", " Please mark it urgent."),
                    ),
                    Param(
                        "asset_tag",
                        "string",
                        "Asset tag of the affected device, e.g. 'LT-20931'.",
                        code("LT-#####"),
                        say=(" The asset tag is {v}.", " Device {v}."),
                    ),
                ),
                (
                    "Raise a {category} ticket for {staff_id}.",
                    "{category} problem, staff id {staff_id}.",
                    "Hi, I'm having a {category} issue this morning - could you log a ticket? "
                    "My staff ID is {staff_id}.",
                    "please open a helpdesk ticket, {category}, employee {staff_id}.",
                    "Can IT look at a {category} fault for me? I'm {staff_id}.",
                ),
                {
                    "ticket_no": ("INC-204118", "INC-209377", "INC-215560"),
                    "queue_position": (2, 5, 9),
                },
                "The {category} ticket for {staff_id} is logged as {ticket_no}; it is number "
                "{queue_position} in the queue.",
                "raise helpdesk tickets",
                missing=(
                    (
                        "My laptop won't boot, can you log a ticket?",
                        "What is your staff ID?",
                    ),
                    (
                        "Staff ID EMP-4410 - please raise a ticket for me.",
                        "What kind of problem is it: hardware, software, access or network?",
                    ),
                ),
            ),
            Action(
                "helpdesk_ticket_status",
                "Status and assigned engineer of an IT helpdesk ticket, by ticket number.",
                (
                    Param(
                        "ticket_no",
                        "string",
                        "Ticket number, e.g. 'INC-209377'.",
                        code("INC-######"),
                    ),
                ),
                (
                    "Any news on {ticket_no}?",
                    "status {ticket_no}",
                    "I raised {ticket_no} last week and haven't heard anything. Who's on it?",
                    "Could you tell me where ticket {ticket_no} has got to?",
                ),
                {
                    "status": ("assigned to an engineer", "waiting on your reply", "resolved"),
                    "engineer": ("Priya Shah", "Tom Breen", "Alicia Moreno"),
                },
                "Ticket {ticket_no} is {status}; engineer: {engineer}.",
                "check ticket status",
                missing=(
                    ("Any update on my helpdesk ticket?", "What is the ticket number?"),
                    ("Who is dealing with my IT ticket?", "Which ticket number is it?"),
                ),
            ),
        ),
        cannot=(
            ("Can you reset my password for me right now?", "reset passwords"),
            ("Order me a second monitor for my desk.", "order equipment"),
            ("Give me admin rights on my laptop.", "grant admin rights"),
        ),
    ),
    # -- software licences ----------------------------------------------------------------------
    Domain(
        "software_licences",
        "software licence seats",
        (
            Action(
                "request_licence_seats",
                "Request extra licence seats for a software product, charged to a cost centre.",
                (
                    LICENSED_PRODUCT,
                    Param(
                        "cost_centre",
                        "string",
                        "Cost centre to charge, e.g. 'CC-3104'.",
                        code("CC-####"),
                    ),
                    Param("seats", "integer", "Number of seats to add, 2-12.", count(2, 12)),
                    Param(
                        "billing",
                        "string",
                        "Billing term; annual if omitted.",
                        (
                            ("monthly", "monthly"),
                            ("monthly", "month by month"),
                            ("annual", "annually"),
                            ("annual", "yearly"),
                        ),
                        enum=("monthly", "annual"),
                        say=(" Billed {v}, please.", " We'd rather pay {v}."),
                    ),
                ),
                (
                    "We need {seats} more {product} seats on cost centre {cost_centre}.",
                    "{product} x{seats}, charge {cost_centre}.",
                    "New starters are joining the team - can I get {seats} {product} "
                    "licences? Cost centre is {cost_centre}.",
                    "please add {seats} seats of {product}, cost centre {cost_centre}.",
                    "I'd like to request {seats} {product} licence seats for {cost_centre}.",
                ),
                {
                    "request_ref": ("SL-7731", "SL-8042", "SL-9160"),
                    "monthly_cost_gbp": (42.0, 118.5, 305.0),
                },
                "{seats} {product} seats are requested on {cost_centre} under {request_ref}; "
                "they add {monthly_cost_gbp} GBP a month.",
                "request licence seats",
                missing=(
                    (
                        "Can I get three more MATLAB licences?",
                        "Which cost centre should they be charged to?",
                    ),
                    (
                        "Add some AutoCAD seats on cost centre CC-3104, please.",
                        "How many seats do you need?",
                    ),
                ),
            ),
            Action(
                "licence_seat_usage",
                "How many seats of a software licence are in use and when the licence renews.",
                (
                    LICENSED_PRODUCT,
                    Param(
                        "usage_month",
                        "string",
                        "Month to report usage for, as YYYY-MM; this month if omitted.",
                        month,
                        say=(" For {v}.", " Back in {v}."),
                    ),
                ),
                (
                    "How many {product} seats are we using?",
                    "{product} usage?",
                    "Before I buy more, could you check how many {product} licences are taken "
                    "and when it renews?",
                    "when does our {product} licence renew?",
                ),
                {
                    "seats_used": (14, 37, 88),
                    "renews_on": ("2026-09-30", "2027-01-15", "2027-03-31"),
                },
                "{product}: {seats_used} seats in use; the licence renews on {renews_on}.",
                "check licence usage",
                missing=(
                    (
                        "How many licence seats are we using at the moment?",
                        "Which software product do you mean?",
                    ),
                    ("When does our licence renew?", "Which product's licence is it?"),
                ),
            ),
        ),
        cannot=(
            ("Cancel our Visio licences, we don't use them.", "cancel licences"),
            ("Install AutoCAD on my new laptop.", "install software"),
            ("Move my MATLAB licence over to my colleague Jen.", "reassign licences to people"),
        ),
    ),
    # -- server rack access ---------------------------------------------------------------------
    Domain(
        "server_rack_access",
        "data centre rack access visits",
        (
            Action(
                "book_rack_visit",
                "Book an escorted or unescorted visit to a rack in the data centre.",
                (
                    RACK,
                    Param("visit_date", "string", "Visit date as YYYY-MM-DD.", date),
                    Param("arrival", "string", "Arrival time as HH:MM, 24-hour clock.", clock),
                    Param(
                        "visitors",
                        "integer",
                        "Number of people visiting; 1 if omitted.",
                        count(2, 4),
                        say=(" There'll be {v} of us.", " {v} engineers are coming."),
                    ),
                    Param(
                        "escort",
                        "boolean",
                        "Have a data centre technician escort the visit.",
                        YES,
                        say=(" We'll need an escort.", " Please arrange someone to escort us."),
                    ),
                ),
                (
                    "Book access to rack {rack} on {visit_date}, arriving {arrival}.",
                    "rack {rack} visit {visit_date} {arrival}.",
                    "We need to swap a failed PSU in {rack}. Could we get in on {visit_date} "
                    "at about {arrival}?",
                    "I'd like to book a visit to {rack} at {arrival} on {visit_date}, please.",
                ),
                {
                    "access_code": ("DC-55120", "DC-61847", "DC-70396"),
                    "entrance": ("Gate 1", "Gate 2", "the loading bay"),
                },
                "Your visit to {rack} on {visit_date} from {arrival} is booked: access code "
                "{access_code}, come in through {entrance}.",
                "book rack access visits",
                missing=(
                    (
                        "Can we visit rack R-C12 on 2026-06-03?",
                        "What time will you arrive?",
                    ),
                    (
                        "Book us into the data centre tomorrow at 10:00.",
                        "Which rack do you need access to?",
                    ),
                ),
            ),
            Action(
                "rack_power_and_space",
                "Current power draw and free rack units of a rack.",
                (
                    RACK,
                    Param(
                        "feed",
                        "string",
                        "Power feed to report; both if omitted.",
                        (("A", "A"), ("A", "A-side"), ("B", "B"), ("B", "B-side")),
                        enum=("A", "B"),
                        say=(" Just the {v} feed.", " On the {v} feed."),
                    ),
                ),
                (
                    "How much power is {rack} drawing?",
                    "{rack} power + free U?",
                    "We want to add two 1U servers to {rack} - is there space and power headroom?",
                    "what's the load on rack {rack}?",
                ),
                {"power_kw": (3.2, 5.8, 7.4), "free_units": (2, 6, 11)},
                "Rack {rack} is drawing {power_kw} kW and has {free_units}U free.",
                "check rack power and space",
                missing=(
                    ("How much free space is in our rack?", "Which rack do you mean?"),
                    ("What's the power draw on the rack right now?", "Which rack is it?"),
                ),
            ),
        ),
        cannot=(
            ("Can someone reboot the server in R-B07 for me?", "do remote hands work"),
            ("Add my colleague to the permanent access list.", "grant permanent access"),
            ("Ship our spare disks to the data centre.", "arrange deliveries"),
        ),
    ),
    # -- domain renewals ------------------------------------------------------------------------
    Domain(
        "domain_renewals",
        "domain name renewals",
        (
            Action(
                "renew_domain_name",
                "Renew a registered domain name for a number of years.",
                (
                    DOMAIN_NAME,
                    Param("years", "integer", "Years to renew for, 1-5.", count(1, 5)),
                    Param(
                        "auto_renew",
                        "boolean",
                        "Turn on automatic renewal afterwards.",
                        YES,
                        say=(" And turn on auto-renew.", " Set it to renew automatically."),
                    ),
                ),
                (
                    "Renew {domain_name} for {years} years.",
                    "renew {domain_name} x {years} yrs.",
                    "Our website {domain_name} is coming up for renewal - could you extend it "
                    "by {years} years?",
                    "I'd like to renew the domain {domain_name}, {years} years please.",
                ),
                {
                    "new_expiry": ("2027-11-04", "2028-05-19", "2030-02-11"),
                    "charge_gbp": (9.99, 24.98, 58.45),
                },
                "{domain_name} now expires on {new_expiry}; the renewal was charged "
                "{charge_gbp} GBP.",
                "renew domain names",
                missing=(
                    ("Renew my domain for two years, please.", "Which domain name is it?"),
                    ("Can you renew oakbarrow.com?", "How many years should it be renewed for?"),
                ),
            ),
            Action(
                "domain_expiry_check",
                "Expiry date and registration status of a domain name.",
                (DOMAIN_NAME,),
                (
                    "When does {domain_name} expire?",
                    "{domain_name} expiry",
                    "I got an email saying {domain_name} is about to lapse. Is that right?",
                    "is {domain_name} still active",
                ),
                {
                    "expires_on": ("2026-07-22", "2026-12-01", "2027-04-30"),
                    "status": ("active", "in its grace period", "pending transfer out"),
                },
                "{domain_name} is {status} and expires on {expires_on}.",
                "check domain expiry",
                missing=(("When does my domain expire?", "Which domain name do you mean?"),),
            ),
        ),
        cannot=(
            ("Transfer my domain to another registrar.", "transfer domains out"),
            ("Point my domain at my new web host.", "change DNS records"),
            ("Is coolbeans.com free to register?", "register new domains"),
        ),
    ),
    # -- payroll --------------------------------------------------------------------------------
    Domain(
        "payroll_payslips",
        "payslips and tax codes",
        (
            Action(
                "resend_payslip",
                "Send an employee a copy of their payslip for a given pay month.",
                (
                    PAYROLL_NO,
                    Param("pay_month", "string", "Pay month as YYYY-MM.", month),
                    Param(
                        "delivery",
                        "string",
                        "How to send the copy; email if omitted.",
                        (
                            ("email", "email"),
                            ("email", "e-mail"),
                            ("post", "post"),
                            ("post", "letter"),
                        ),
                        enum=("email", "post"),
                        say=(" Send it by {v}.", " I'd like it by {v}."),
                    ),
                ),
                (
                    "Can I have a copy of my {pay_month} payslip? Employee number {employee_no}.",
                    "payslip {pay_month} {employee_no}.",
                    "I need my {pay_month} payslip for a mortgage application. I'm {employee_no}.",
                    "Please resend the payslip for {pay_month} to {employee_no}.",
                    "{employee_no} here - lost my payslip from {pay_month}, could you resend?",
                ),
                {
                    "copy_ref": ("PS-1184", "PS-2290", "PS-3517"),
                    "net_pay_gbp": (1842.16, 2310.77, 2975.45),
                },
                "A copy of the {pay_month} payslip for {employee_no} is on its way (ref "
                "{copy_ref}); net pay that month was {net_pay_gbp} GBP.",
                "resend payslips",
                missing=(
                    (
                        "Could you send me last March's payslip again?",
                        "What is your payroll employee number?",
                    ),
                    (
                        "Employee PY-40217, I need a copy of a payslip.",
                        "Which month's payslip do you need?",
                    ),
                ),
            ),
            Action(
                "tax_code_check",
                "An employee's current tax code and tax paid so far in the tax year.",
                (
                    PAYROLL_NO,
                    Param(
                        "tax_year",
                        "string",
                        "Tax year as YYYY-YY, e.g. '2025-26'; the current one if omitted.",
                        words("2024-25", "2025-26", "2026-27"),
                        say=(" For the {v} tax year.", " I mean {v}."),
                    ),
                ),
                (
                    "What tax code am I on? {employee_no}.",
                    "tax code {employee_no}?",
                    "My pay looks lower than usual - could you check the tax code for "
                    "{employee_no}?",
                    "How much tax has {employee_no} paid so far this year?",
                ),
                {"tax_code": ("1257L", "BR", "K475"), "tax_paid_gbp": (912.3, 3120.55, 5874.12)},
                "{employee_no} is on tax code {tax_code}; tax paid so far: {tax_paid_gbp} GBP.",
                "check tax codes",
                missing=(("What's my tax code?", "What is your payroll employee number?"),),
            ),
        ),
        cannot=(
            ("Can you pay my overtime early this month?", "make advance payments"),
            ("Change the bank account my salary goes into.", "change bank details"),
            ("My P60 is wrong, please sort it out with HMRC.", "deal with HMRC for you"),
        ),
    ),
    # -- holiday requests -----------------------------------------------------------------------
    Domain(
        "holiday_requests",
        "annual leave requests",
        (
            Action(
                "request_annual_leave",
                "Submit a leave request for a run of working days, for manager approval.",
                (
                    LEAVE_STAFF,
                    Param("start_date", "string", "First day of leave as YYYY-MM-DD.", date),
                    Param(
                        "days",
                        "number",
                        "Working days of leave, in half-day steps.",
                        (
                            (1.5, "1.5"),
                            (2.0, "2"),
                            (3.5, "3.5"),
                            (5.0, "5"),
                            (7.5, "7.5"),
                            (10.0, "10"),
                        ),
                    ),
                    Param(
                        "leave_type",
                        "string",
                        "Kind of leave; annual if omitted.",
                        (
                            ("annual", "annual leave"),
                            ("annual", "holiday"),
                            ("unpaid", "unpaid leave"),
                            ("unpaid", "unpaid"),
                        ),
                        enum=("annual", "unpaid"),
                        say=(" Please book it as {v}.", " It's {v}."),
                    ),
                    Param(
                        "cover_arranged",
                        "boolean",
                        "The employee has already arranged cover.",
                        YES,
                        say=(" My cover is sorted.", " Sam has agreed to cover for me."),
                    ),
                ),
                (
                    "I'd like {days} days off from {start_date}, staff number {staff_no}.",
                    "leave {staff_no}: {days} days from {start_date}.",
                    "We're going to my sister's wedding, so could I book {days} days starting "
                    "{start_date}? I'm {staff_no}.",
                    "Please put in a holiday request: {staff_no}, {days} days from {start_date}.",
                ),
                {
                    "request_id": ("AL-30418", "AL-31772", "AL-33905"),
                    "approver": ("Helen Cartwright", "Raj Malhotra", "Sophie Lind"),
                },
                "Leave from {start_date} for {staff_no} is requested under {request_id}; it has "
                "gone to {approver} for approval.",
                "request annual leave",
                missing=(
                    (
                        "Can I book five days off from 2026-08-10?",
                        "What is your staff number?",
                    ),
                    (
                        "Staff HR-2291 - I'd like three days off, please.",
                        "Which date does your leave start?",
                    ),
                ),
            ),
            Action(
                "leave_balance",
                "Days of annual leave an employee has left, including days carried over.",
                (
                    LEAVE_STAFF,
                    Param(
                        "as_of",
                        "string",
                        "Balance as of a date, as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" As of {v}.", " What will it be on {v}?"),
                    ),
                ),
                (
                    "How much holiday have I got left? {staff_no}.",
                    "leave balance {staff_no}?",
                    "I'm trying to plan the summer - how many days of leave does {staff_no} "
                    "have left?",
                    "Could you check my remaining annual leave, please? Staff number {staff_no}.",
                ),
                {"days_left": (3.5, 11.0, 18.5), "carried_over": (0, 2, 5)},
                "{staff_no} has {days_left} days of leave left, including {carried_over} "
                "carried over from last year.",
                "check leave balances",
                missing=(
                    ("How many days of holiday do I have left?", "What is your staff number?"),
                ),
            ),
        ),
        cannot=(
            ("Swap my Christmas Eve shift with Dan.", "swap shifts"),
            ("Can I sell back five days of holiday?", "buy or sell leave"),
            ("Cancel the leave I booked for August.", "cancel leave requests"),
        ),
    ),
    # -- school uniform orders ------------------------------------------------------------------
    Domain(
        "uniform_orders",
        "school uniform orders",
        (
            Action(
                "order_school_uniform",
                "Order school uniform items for collection from the school shop.",
                (
                    UNIFORM_ITEM,
                    Param(
                        "size",
                        "string",
                        "Size as an age range, e.g. 'age 9-10'.",
                        words("age 5-6", "age 7-8", "age 9-10", "age 11-12", "age 13-14"),
                    ),
                    Param("quantity", "integer", "How many of the item, 1-4.", count(1, 4)),
                    Param(
                        "embroider_name",
                        "boolean",
                        "Embroider the pupil's name inside the item.",
                        YES,
                        say=(" With the name embroidered, please.", " Can you add a name tag?"),
                    ),
                ),
                (
                    "I'd like to order {quantity} x {item}, size {size}.",
                    "{item} {size} qty {quantity}.",
                    "My son's shot up over the summer! Could I get {quantity} of the {item} in "
                    "{size}?",
                    "please order {item}, {size}, quantity {quantity}.",
                ),
                {
                    "order_no": ("UN-50213", "UN-52987", "UN-58830"),
                    "ready_date": ("2026-08-20", "2026-08-27", "2026-09-03"),
                },
                "{quantity} x {item} ({size}) ordered as {order_no}, ready to collect from "
                "{ready_date}.",
                "order school uniform",
                missing=(
                    (
                        "Can I order two blazers for my daughter?",
                        "What size does she need?",
                    ),
                    (
                        "I'd like a PE polo shirt in age 7-8.",
                        "How many would you like?",
                    ),
                ),
            ),
            Action(
                "uniform_item_stock",
                "Stock level and price of a uniform item in the school shop.",
                (
                    UNIFORM_ITEM,
                    Param(
                        "size",
                        "string",
                        "Size as an age range, e.g. 'age 9-10'; all sizes if omitted.",
                        words("age 5-6", "age 7-8", "age 9-10", "age 11-12", "age 13-14"),
                        say=(" In {v}.", " We need {v}."),
                    ),
                ),
                (
                    "Have you got the {item} in stock?",
                    "{item} stock?",
                    "How much is the {item}, and do you have any at the moment?",
                    "is the {item} available?",
                ),
                {"in_stock": (0, 6, 23), "price_gbp": (12.5, 18.0, 34.95)},
                "{item}: {in_stock} in stock at {price_gbp} GBP each.",
                "check uniform stock",
                missing=(("Is the uniform in stock yet?", "Which item are you looking for?"),),
            ),
        ),
        cannot=(
            ("Can I return the jumper? It's the wrong size.", "take returns"),
            ("Do you buy back old blazers?", "buy second-hand uniform"),
            ("Is there a grant to help pay for uniform?", "advise on uniform grants"),
        ),
    ),
    # -- vending machines -----------------------------------------------------------------------
    Domain(
        "vending_machine_faults",
        "vending machine fault reports",
        (
            Action(
                "report_vending_fault",
                "Report a fault on a snack or drinks vending machine.",
                (
                    VENDING_MACHINE,
                    Param(
                        "fault",
                        "string",
                        "What is wrong with the machine.",
                        (
                            ("coin_jam", "coin jam"),
                            ("coin_jam", "coins jammed"),
                            ("not_dispensing", "not dispensing"),
                            ("not_dispensing", "item stuck"),
                            ("card_reader", "card reader down"),
                            ("card_reader", "contactless not working"),
                            ("refrigeration", "not cooling"),
                            ("refrigeration", "drinks warm"),
                        ),
                        enum=("coin_jam", "not_dispensing", "card_reader", "refrigeration"),
                    ),
                    Param(
                        "amount_lost_gbp",
                        "number",
                        "Money the machine kept, in pounds.",
                        decimal(0.5, 4.0, 2),
                        say=(" It swallowed £{v}.", " I lost {v} GBP in it."),
                    ),
                ),
                (
                    "Vending machine {machine_id} - {fault}.",
                    "report fault on {machine_id}: {fault}.",
                    "The machine by reception ({machine_id}) has a problem: {fault}. Can "
                    "someone take a look?",
                    "{machine_id} {fault}.",
                    "Hello, I'd like to report machine {machine_id}, {fault}.",
                ),
                {
                    "fault_ref": ("VF-1042", "VF-1189", "VF-1307"),
                    "engineer_visit": ("today by 17:00", "tomorrow morning", "within 48 hours"),
                },
                "The fault on {machine_id} is logged as {fault_ref}; an engineer will visit "
                "{engineer_visit}.",
                "report vending machine faults",
                missing=(
                    (
                        "The drinks machine on the second floor isn't cooling.",
                        "What is the machine id on the sticker?",
                    ),
                    (
                        "Machine VM-204 is broken.",
                        "What is wrong with it?",
                    ),
                ),
            ),
            Action(
                "vending_restock_schedule",
                "When a vending machine is next restocked and how many lines are running low.",
                (
                    VENDING_MACHINE,
                    Param(
                        "product",
                        "string",
                        "A product the user is waiting for.",
                        words("Diet Coke", "Walkers crisps", "KitKat", "still water", "Twix"),
                        say=(" Especially the {v}.", " We're out of {v}."),
                    ),
                ),
                (
                    "When is {machine_id} getting restocked?",
                    "restock {machine_id}?",
                    "The machine in the canteen ({machine_id}) is nearly empty. When's the "
                    "next refill?",
                    "next restock date for {machine_id} please.",
                ),
                {
                    "next_restock": ("2026-05-12", "2026-05-14", "2026-05-19"),
                    "low_lines": (2, 5, 9),
                },
                "{machine_id} is next restocked on {next_restock}; {low_lines} lines are "
                "running low.",
                "check restock dates",
                missing=(
                    (
                        "When does the vending machine get refilled?",
                        "Which machine is it - what id is on the sticker?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can I get my £1.50 back? It ate my coins.", "give refunds"),
            ("Please stock oat milk lattes in the coffee machine.", "change what machines stock"),
            ("We'd like a new vending machine on the third floor.", "install new machines"),
        ),
    ),
    # -- lab equipment --------------------------------------------------------------------------
    Domain(
        "lab_equipment_bookings",
        "core facility instrument bookings",
        (
            Action(
                "book_lab_instrument",
                "Book time on a core facility lab instrument.",
                (
                    LAB_INSTRUMENT,
                    Param("session_date", "string", "Session date as YYYY-MM-DD.", date),
                    Param("start_time", "string", "Start time as HH:MM, 24-hour clock.", clock),
                    Param(
                        "hours",
                        "number",
                        "Session length in hours, in tenths.",
                        decimal(0.5, 6.0),
                        say=(" For {v} hours.", " I'll need it for {v} hours."),
                    ),
                    Param(
                        "needs_training",
                        "boolean",
                        "The user has not been trained and needs a supervised session.",
                        YES,
                        say=(
                            " I haven't been trained on it yet.",
                            " I'll need a technician with me.",
                        ),
                    ),
                ),
                (
                    "Can I get the {instrument} on {session_date}? I'd start at {start_time}.",
                    "{instrument} {session_date} {start_time}.",
                    "My samples will be ready on {session_date}, so could I have the "
                    "{instrument} from {start_time}?",
                    "I'd like to reserve the {instrument} for {session_date}, starting at "
                    "{start_time}, please.",
                ),
                {
                    "booking_ref": ("LB-24071", "LB-25530", "LB-27714"),
                    "room": ("B2.14", "C1.07", "B0.03"),
                },
                "The {instrument} is booked on {session_date} from {start_time} in room {room}: "
                "ref {booking_ref}.",
                "book lab instruments",
                missing=(
                    (
                        "Can I book the flow cytometer on 2026-04-22?",
                        "What time would you like to start?",
                    ),
                    (
                        "I need an instrument on Thursday at 09:00.",
                        "Which instrument would you like to book?",
                    ),
                ),
            ),
            Action(
                "instrument_usage_quote",
                "Quote the charge for hours on a lab instrument at a user type's rate.",
                (
                    LAB_INSTRUMENT,
                    Param("hours", "number", "Hours of instrument time.", decimal(1.0, 40.0)),
                    Param(
                        "user_type",
                        "string",
                        "Which rate applies.",
                        (
                            ("internal", "internal"),
                            ("internal", "in-house"),
                            ("academic", "academic"),
                            ("academic", "external academic"),
                            ("commercial", "commercial"),
                            ("commercial", "industry"),
                        ),
                        enum=("internal", "academic", "commercial"),
                    ),
                ),
                (
                    "How much would {hours} hours on the {instrument} cost at the {user_type} "
                    "rate?",
                    "quote: {instrument}, {hours} h, {user_type}",
                    "We're planning a project and need about {hours} hours on the {instrument}. "
                    "What's the {user_type} price?",
                    "Could you price {hours} hours of {instrument} time? User type: {user_type}.",
                ),
                {
                    "charge_gbp": (48.0, 136.5, 412.0),
                    "valid_until": ("2026-07-31", "2026-12-31", "2027-03-31"),
                },
                "{hours} hours on the {instrument} at the {user_type} rate: {charge_gbp} GBP, "
                "quote valid until {valid_until}.",
                "quote instrument charges",
                missing=(
                    (
                        "What would 10 hours on the HPLC system cost?",
                        "Which rate applies: internal, academic or commercial?",
                    ),
                    (
                        "Price up some confocal microscope time at the academic rate.",
                        "How many hours do you need?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you order more liquid nitrogen for the lab?", "order consumables"),
            ("The centrifuge is making a grinding noise - fix it.", "repair instruments"),
            ("Sign me off as trained on the confocal.", "sign off instrument training"),
        ),
    ),
    # -- nursery waiting list -------------------------------------------------------------------
    Domain(
        "nursery_waitlist",
        "nursery waiting list places",
        (
            Action(
                "join_nursery_waitlist",
                "Put a child on the nursery waiting list for a start month.",
                (
                    Param(
                        "child_name",
                        "string",
                        "Child's full name.",
                        words(
                            "Isla Murray",
                            "Noah Okafor",
                            "Ava Kowalski",
                            "Theo Brennan",
                            "Mila Hussain",
                        ),
                    ),
                    Param("child_dob", "string", "Child's date of birth as YYYY-MM-DD.", date),
                    Param("start_month", "string", "Wanted start month as YYYY-MM.", month),
                    Param(
                        "days_per_week",
                        "integer",
                        "Days a week wanted, 1-5; 3 if omitted.",
                        count(1, 5),
                        say=(" For {v} days a week.", " We'd want {v} days a week."),
                    ),
                    Param(
                        "funded_hours",
                        "boolean",
                        "The family will use government-funded hours.",
                        YES,
                        say=(" We'll be using the funded hours.", " We qualify for funded hours."),
                    ),
                ),
                (
                    "Please add {child_name}, born {child_dob}, to the waiting list for "
                    "{start_month}.",
                    "waitlist: {child_name}, dob {child_dob}, start {start_month}.",
                    "We're moving to the area and would love a place for {child_name} from "
                    "{start_month}. Date of birth {child_dob}.",
                    "Can {child_name} ({child_dob}) go on the list to start in {start_month}?",
                ),
                {
                    "waitlist_ref": ("NW-8812", "NW-9034", "NW-9571"),
                    "position": (3, 8, 14),
                },
                "{child_name} is on the waiting list for {start_month} as {waitlist_ref}, "
                "at position {position}.",
                "add children to the waiting list",
                missing=(
                    (
                        "Please put Ava Kowalski on the waiting list, born 2024-11-02.",
                        "Which month would you like her to start?",
                    ),
                    (
                        "Can Theo Brennan join the waiting list to start in September 2026?",
                        "What is Theo's date of birth?",
                    ),
                ),
            ),
            Action(
                "nursery_waitlist_position",
                "A child's place on the nursery waiting list and the likely offer month.",
                (
                    Param(
                        "waitlist_ref",
                        "string",
                        "Waiting list reference, e.g. 'NW-9034'.",
                        code("NW-####"),
                    ),
                ),
                (
                    "Where is {waitlist_ref} on the list?",
                    "{waitlist_ref} position",
                    "We've been waiting ages for a nursery place. Any movement on {waitlist_ref}?",
                    "could you check our waiting list place, ref {waitlist_ref}",
                ),
                {
                    "position": (1, 4, 9),
                    "likely_offer": ("2026-09", "2027-01", "2027-04"),
                },
                "{waitlist_ref} is number {position} on the list; an offer is likely by "
                "{likely_offer}.",
                "check waiting list positions",
                missing=(
                    (
                        "How far up the nursery waiting list are we?",
                        "What is your waiting list reference?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can we come and look round the baby room?", "arrange visits"),
            ("How do I apply for the 30 hours funding?", "apply for childcare funding"),
            ("Take Noah off the list, we've moved away.", "remove children from the list"),
        ),
    ),
    # -- after-school clubs ---------------------------------------------------------------------
    Domain(
        "after_school_clubs",
        "after-school club places",
        (
            Action(
                "book_after_school_club",
                "Book a pupil a place at an after-school club for the term.",
                (
                    Param(
                        "pupil",
                        "string",
                        "Pupil's full name.",
                        words(
                            "Ruby Atkins",
                            "Oscar Lindqvist",
                            "Zara Ahmed",
                            "Finn O'Leary",
                            "Leo Marchetti",
                        ),
                    ),
                    CLUB,
                    Param(
                        "year_group",
                        "integer",
                        "School year group, 1-6.",
                        count(1, 6, words=False),
                    ),
                    Param(
                        "pickup_time",
                        "string",
                        "Time the pupil will be collected, as HH:MM; club end if omitted.",
                        clock,
                        say=(" I'll collect at {v}.", " Pick-up will be {v}."),
                    ),
                ),
                (
                    "Please book {pupil} (Year {year_group}) into {club}.",
                    "{club} - {pupil}, yr {year_group}.",
                    "{pupil} has been begging to do {club} after school! They're in Year "
                    "{year_group}. Is there a place?",
                    "can you sign up {pupil} in year {year_group} for {club}?",
                ),
                {
                    "place": ("confirmed", "waitlisted", "confirmed from next week"),
                    "fee_gbp": (4.5, 6.0, 7.5),
                },
                "{pupil}'s place at {club} club is {place}; it costs {fee_gbp} GBP a session.",
                "book club places",
                missing=(
                    (
                        "Can you book Zara Ahmed into drama club?",
                        "Which year group is Zara in?",
                    ),
                    (
                        "Please sign up Finn O'Leary, Year 4, for an after-school club.",
                        "Which club would he like to join?",
                    ),
                ),
            ),
            Action(
                "club_session_times",
                "Which day an after-school club meets and when it finishes.",
                (
                    CLUB,
                    Param(
                        "year_group",
                        "integer",
                        "School year group, 1-6; all years if omitted.",
                        count(1, 6, words=False),
                        say=(" For Year {v}.", " My child's in Year {v}."),
                    ),
                ),
                (
                    "When is {club} on?",
                    "{club} times?",
                    "What day does {club} run, and what time do I need to pick up?",
                    "what time does {club} finish?",
                ),
                {
                    "day": ("Monday", "Wednesday", "Thursday"),
                    "finish_time": ("16:30", "17:00", "17:45"),
                },
                "{club} club runs on {day} and finishes at {finish_time}.",
                "look up club times",
                missing=(("What time does the club finish?", "Which club do you mean?"),),
            ),
        ),
        cannot=(
            ("Can someone walk Ruby from school to her club?", "arrange pick-ups"),
            ("Could you start a gardening club on Fridays?", "set up new clubs"),
            ("I'd like to pay for the whole term in one go.", "take payments"),
        ),
    ),
    # -- student housing repairs ----------------------------------------------------------------
    Domain(
        "student_housing_repairs",
        "student housing repair requests",
        (
            Action(
                "report_housing_repair",
                "Report a repair needed in a student residence room or flat.",
                (
                    TENANCY_ROOM,
                    Param(
                        "problem",
                        "string",
                        "Kind of repair.",
                        (
                            ("heating", "heating"),
                            ("heating", "radiator"),
                            ("plumbing", "plumbing"),
                            ("plumbing", "leaking tap"),
                            ("electrical", "electrics"),
                            ("electrical", "dead socket"),
                            ("appliance", "oven"),
                            ("appliance", "fridge"),
                        ),
                        enum=("heating", "plumbing", "electrical", "appliance"),
                    ),
                    Param(
                        "permission_to_enter",
                        "boolean",
                        "Staff may enter the room when the student is out.",
                        YES,
                        say=(" You can go in if I'm out.", " Fine to let yourselves in."),
                    ),
                ),
                (
                    "Problem with the {problem} in {room_ref}.",
                    "{room_ref} {problem} broken.",
                    "Hiya, the {problem} in my room has packed in again - I'm in {room_ref}.",
                    "I'd like to report a {problem} repair for room {room_ref}, please.",
                    "can someone fix the {problem}? room {room_ref}.",
                ),
                {
                    "job_no": ("SR-61520", "SR-62298", "SR-64417"),
                    "target": (
                        "within 24 hours",
                        "within 3 working days",
                        "within 10 working days",
                    ),
                },
                "Your {problem} repair for {room_ref} is logged as {job_no}; target: {target}.",
                "report housing repairs",
                missing=(
                    ("The radiator in my room is stone cold.", "What is your room reference?"),
                    (
                        "I'm in TH-B214 and something needs fixing.",
                        "What needs repairing: heating, plumbing, electrics or an appliance?",
                    ),
                ),
            ),
            Action(
                "room_open_repairs",
                "Open repair jobs for a room and the next contractor visit.",
                (
                    TENANCY_ROOM,
                    Param(
                        "include_closed",
                        "boolean",
                        "Count jobs finished this term too.",
                        YES,
                        say=(" Include the finished ones too.", " Closed jobs as well, please."),
                    ),
                ),
                (
                    "What repairs are open for {room_ref}?",
                    "open jobs {room_ref}?",
                    "I reported a few things ages ago and nobody's come. When's someone "
                    "visiting {room_ref}?",
                    "Could you list the repair jobs on room {room_ref}?",
                ),
                {
                    "open_jobs": (0, 1, 3),
                    "next_visit": ("2026-02-03", "2026-02-06", "2026-02-11"),
                },
                "{room_ref} has {open_jobs} open repair jobs; next contractor visit {next_visit}.",
                "list open repairs",
                missing=(
                    (
                        "Are there any repairs still open on my room?",
                        "What is your room reference?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("My flatmate never washes up - can you sort it out?", "resolve flatmate disputes"),
            ("Can I move to a different room next term?", "arrange room transfers"),
            ("Please refund my deposit now.", "return deposits"),
        ),
    ),
]
