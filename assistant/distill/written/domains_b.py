"""Hand-written services (see ``assistant/distill/written/__init__.py``): set B."""

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
LOAF = Param(
    "loaf", "string", "Bread type.",
    (("sourdough", "sourdough"), ("sourdough", "white sourdough"), ("rye", "rye"), ("rye", "dark rye"),
     ("spelt", "spelt"), ("wholemeal", "wholemeal"), ("wholemeal", "brown wholemeal")),
    enum=("sourdough", "rye", "spelt", "wholemeal"),
)  # fmt: skip
ORDER = Param("order_ref", "string", "Pre-order reference, e.g. 'BK-3301'.", code("BK-####"))
CLASS_TYPE = Param(
    "class_type", "string", "Class type.",
    (("spin", "spin"), ("spin", "indoor cycling"), ("yoga", "yoga"), ("pilates", "pilates"),
     ("pilates", "reformer pilates"), ("HIIT", "HIIT"), ("HIIT", "high-intensity interval")),
    enum=("spin", "yoga", "pilates", "HIIT"),
)  # fmt: skip
MEMBER = Param("member_id", "string", "Gym membership number, e.g. 'M4821'.", code("M####"))
METER = Param("meter_serial", "string", "Meter serial number, e.g. 'EM-204817'.", code("EM-######"))
SLOT = Param("slot_ref", "string", "Kiln slot reference, e.g. 'KF-118'.", code("KF-###"))
JOB = Param("job_number", "string", "Workshop job number, e.g. 'WS-5510'.", code("WS-####"))
TEST_REF = Param(
    "test_ref", "string", "Placement test reference, e.g. 'PT-20417'.", code("PT-#####")
)
VARIETIES = words(
    "Cherokee Purple tomato", "Scarlet Emperor runner bean", "Boston Marrowfat pea",
    "Lollo Rosso lettuce", "Painted Lady bean", "Black Krim tomato",
)  # fmt: skip
BIB = Param("bib_number", "integer", "Race bib number.", count(100, 9999, words=False))
PLANTS = words(
    "Japanese maple", "Hidcote lavender", "dwarf lilac", "Ceanothus Concha", "Annabelle hydrangea"
)
LOCKER = Param("locker_code", "string", "Locker code, e.g. 'LK-2201'.", code("LK-####"))
ROUTE = Param(
    "route_name", "string", "Route name as on the wall tag.",
    words("Crimp Shrimp", "The Blue Arete", "Slab Happy", "Overhang Gang", "Pinch Me Twice"),
)  # fmt: skip
TREE_REF = Param(
    "request_ref", "string", "Tree request reference, e.g. 'TR-2026-118'.", code("TR-2026-###")
)
CALL_SIGN = Param(
    "call_sign", "string", "The other station's call sign, e.g. 'G4ABC'.", code("@#@@@")
)
INSTRUMENT_SERIAL = Param(
    "instrument_serial", "string", "Instrument serial, e.g. 'VC-0033'.", code("@@-####")
)

DOMAINS: list[Domain] = [
    # -- bakery ---------------------------------------------------------------------------------
    Domain(
        "bakery_preorders",
        "bakery bread pre-orders",
        (
            Action(
                "preorder_bread",
                "Pre-order loaves for pick-up at the bakery counter.",
                (
                    LOAF,
                    Param("quantity", "integer", "Number of loaves.", count(2, 12)),
                    Param("pickup_date", "string", "Pick-up date as YYYY-MM-DD.", date),
                    Param(
                        "sliced",
                        "boolean",
                        "Slice the loaves before pick-up.",
                        YES,
                        say=(" Sliced, please.", " Could you slice them?"),
                    ),
                    Param(
                        "pickup_time",
                        "string",
                        "Pick-up time as HH:MM.",
                        clock,
                        say=(" I'll come by at {v}.", " Pick-up around {v}."),
                    ),
                ),
                (
                    "I'd like to pre-order {quantity} {loaf} loaves for {pickup_date}, please.",
                    "Can you put aside {quantity} {loaf} loaves for me on {pickup_date}?",
                    "{quantity} x {loaf} loaf, collecting {pickup_date}",
                    "pre-order {loaf} bread, {quantity} loaves, pick up {pickup_date}",
                    "Reserve {quantity} {loaf} loaves at the bakery for {pickup_date} at {pickup_time}.",
                ),
                {"order_ref": ("BK-3301", "BK-4172", "BK-5528"), "price_eur": (4.5, 9.0, 13.5)},
                "{quantity} {loaf} loaves are reserved for {pickup_date}: order {order_ref}, "
                "{price_eur} EUR to pay at pick-up.",
                "pre-order bread",
                missing=(
                    (
                        "Please pre-order 3 rye loaves from the bakery for me.",
                        "Which day will you pick them up?",
                    ),
                    (
                        "Bakery pre-order: sourdough for Saturday 2026-05-16.",
                        "How many loaves would you like?",
                    ),
                ),
            ),
            Action(
                "preorder_status",
                "Status of a bread pre-order, by order reference.",
                (ORDER,),
                (
                    "Is my bread order {order_ref} ready yet?",
                    "{order_ref} - ready to collect?",
                    "Could you check on pre-order {order_ref} for me?",
                    "what's happening with order {order_ref} at the bakery",
                ),
                {
                    "state": (
                        "in the oven",
                        "ready on the collection shelf",
                        "scheduled for the morning bake",
                    )
                },
                "Order {order_ref} is {state}.",
                "check a pre-order's status",
                missing=(("Is my bakery pre-order ready?", "What is the order reference?"),),
            ),
        ),
        cannot=(
            ("Can you deliver two baguettes to my flat tomorrow?", "deliver bread to your door"),
            ("Does your rye bread contain any sesame?", "list allergens in the bread"),
            ("I want to cancel my bread pre-order.", "cancel a pre-order"),
        ),
    ),
    # -- gym ------------------------------------------------------------------------------------
    Domain(
        "gym_classes",
        "gym class bookings",
        (
            Action(
                "book_gym_class",
                "Book a place in a scheduled gym class.",
                (
                    CLASS_TYPE,
                    Param("class_date", "string", "Class date as YYYY-MM-DD.", date),
                    Param("start_time", "string", "Class start time as HH:MM.", clock),
                    Param(
                        "towel",
                        "boolean",
                        "Rent a towel for the class.",
                        YES,
                        say=(" I'll need a towel.", " Add a towel rental, please."),
                    ),
                ),
                (
                    "Book me into {class_type} on {class_date} at {start_time}.",
                    "{class_type} class {class_date} {start_time}, one spot please",
                    "can i get a place in the {start_time} {class_type} class on {class_date}?",
                    "Please reserve a spot in {class_type} at the gym, {class_date}, starting {start_time}.",
                    "Sign me up for {class_type}: {class_date}, {start_time}.",
                ),
                {"booking_code": ("GY-2041", "GY-3178", "GY-5902"), "spaces_left": (2, 5, 11)},
                "You're in {class_type} on {class_date} at {start_time} (booking {booking_code}); "
                "{spaces_left} spaces left.",
                "book gym classes",
                missing=(
                    (
                        "Book me into a yoga class at the gym on 2026-03-04.",
                        "What time does the class start?",
                    ),
                    (
                        "Gym class booking for tomorrow at 18:00, please.",
                        "Which class would you like to book?",
                    ),
                ),
            ),
            Action(
                "member_attendance",
                "How many classes a member has attended, by membership number.",
                (
                    MEMBER,
                    Param(
                        "month",
                        "string",
                        "Only this month, as YYYY-MM.",
                        month,
                        say=(" Just for {v}.", " Only {v}, please."),
                    ),
                ),
                (
                    "How many classes has member {member_id} been to?",
                    "attendance for {member_id}",
                    "I'm {member_id}. How often have I actually turned up to classes?",
                    "Show the class history for membership {member_id}.",
                    "{member_id}: class count in {month}?",
                ),
                {"classes_attended": (3, 8, 14), "favourite_class": ("spin", "yoga", "pilates")},
                "Member {member_id} has attended {classes_attended} classes, mostly {favourite_class}.",
                "report a member's class attendance",
                missing=(
                    (
                        "How many gym classes have I been to this year?",
                        "What is your membership number?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you freeze my gym membership for two months?", "freeze a membership"),
            ("Book me a session with a personal trainer.", "book personal training"),
        ),
    ),
    # -- energy meter ---------------------------------------------------------------------------
    Domain(
        "energy_meter",
        "home energy meter readings",
        (
            Action(
                "submit_meter_reading",
                "Submit an electricity meter reading in kWh.",
                (
                    METER,
                    Param(
                        "reading_kwh", "number", "Meter reading in kWh.", decimal(1000, 60000, 1)
                    ),
                    Param(
                        "reading_date", "string", "Date the meter was read, as YYYY-MM-DD.", date
                    ),
                    Param(
                        "register",
                        "string",
                        "Which register for two-rate meters.",
                        (("day", "day"), ("night", "night"), ("night", "economy 7 night")),
                        enum=("day", "night"),
                        say=(" That's the {v} register.", " It's the {v} rate dial."),
                    ),
                ),
                (
                    "I'd like to submit a meter reading: meter {meter_serial}, {reading_kwh} kWh on {reading_date}.",
                    "{reading_kwh} kWh on meter {meter_serial}, read {reading_date}",
                    "meter {meter_serial} says {reading_kwh} today ({reading_date}), please log it",
                    "Can you record {reading_kwh} kWh for {meter_serial}? Taken on {reading_date}.",
                    "Reading for {meter_serial} on {reading_date}: {reading_kwh} kWh, {register} register.",
                ),
                {
                    "status": ("accepted", "accepted and flagged for a check"),
                    "bill_estimate_gbp": (42.1, 67.35, 88.9),
                },
                "The reading of {reading_kwh} kWh for meter {meter_serial} was {status}; "
                "estimated next bill {bill_estimate_gbp} GBP.",
                "submit meter readings",
                missing=(
                    (
                        "Submit a meter reading of 18342.5 kWh taken on 2026-02-01.",
                        "What is the meter's serial number?",
                    ),
                    (
                        "Please log a reading for meter EM-204817 from today.",
                        "What does the meter read, in kWh?",
                    ),
                ),
            ),
            Action(
                "usage_summary",
                "Electricity used in a month, by meter serial.",
                (
                    METER,
                    Param(
                        "month",
                        "string",
                        "Month as YYYY-MM; defaults to last month.",
                        month,
                        say=(" For {v}.", " I mean {v}."),
                    ),
                ),
                (
                    "How much electricity did meter {meter_serial} use?",
                    "usage on {meter_serial} in {month}?",
                    "What was my consumption for {meter_serial}?",
                    "{meter_serial}: kWh used last month",
                    "Show me the usage summary for meter {meter_serial} in {month}.",
                ),
                {"used_kwh": (212, 348, 505), "vs_last_year_pct": (-8, 4, 12)},
                "Meter {meter_serial} used {used_kwh} kWh, {vs_last_year_pct}% against the same month last year.",
                "summarise monthly usage",
                missing=(
                    (
                        "How much electricity did my meter use in March?",
                        "What is the meter's serial number?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Switch me to a cheaper energy tariff.", "change your tariff"),
            ("Send an engineer to fix my smart meter display.", "book a meter engineer"),
        ),
    ),
    # -- kiln -----------------------------------------------------------------------------------
    Domain(
        "kiln_firing",
        "pottery kiln firing slots",
        (
            Action(
                "book_kiln_slot",
                "Book shelf space in a shared kiln firing.",
                (
                    Param(
                        "firing_type",
                        "string",
                        "Kind of firing.",
                        (
                            ("bisque", "bisque"),
                            ("bisque", "biscuit"),
                            ("glaze", "glaze"),
                            ("raku", "raku"),
                        ),
                        enum=("bisque", "glaze", "raku"),
                    ),
                    Param("firing_date", "string", "Firing date as YYYY-MM-DD.", date),
                    Param("shelves", "integer", "Number of kiln shelves needed.", count(2, 6)),
                    Param(
                        "cone",
                        "string",
                        "Target pyrometric cone.",
                        words("04", "6", "10"),
                        enum=("04", "6", "10"),
                        say=(" Fire to cone {v}.", " Cone {v} please."),
                    ),
                ),
                (
                    "Please book {shelves} shelves in the {firing_type} firing on {firing_date}.",
                    "kiln: {shelves} shelves, {firing_type}, {firing_date}",
                    "Can I get {shelves} shelves of pots into a {firing_type} firing on {firing_date}?",
                    "I need kiln space for a {firing_type} firing on {firing_date}, {shelves} shelves.",
                    "{firing_date} {firing_type} firing - reserve {shelves} shelves, cone {cone}",
                ),
                {"slot_ref": ("KF-118", "KF-242", "KF-307"), "cost_gbp": (12, 24, 36)},
                "{shelves} shelves booked in the {firing_type} firing on {firing_date}: slot {slot_ref}, {cost_gbp} GBP.",
                "book kiln slots",
                missing=(
                    (
                        "Book me 2 shelves in a glaze firing in the kiln.",
                        "Which date would you like the firing?",
                    ),
                    (
                        "Reserve kiln space for a bisque firing on 2026-07-09.",
                        "How many shelves do you need?",
                    ),
                ),
            ),
            Action(
                "kiln_firing_log",
                "How a booked firing went: peak temperature and outcome, by slot reference.",
                (SLOT,),
                (
                    "How did firing {slot_ref} go?",
                    "{slot_ref} - are my pots out yet?",
                    "Could you pull up the kiln log for slot {slot_ref}?",
                    "did {slot_ref} reach temperature ok",
                ),
                {
                    "peak_temp_c": (1000, 1222, 1260),
                    "outcome": ("cooling, unload tomorrow", "unloaded, all fine"),
                },
                "Firing {slot_ref} peaked at {peak_temp_c} C: {outcome}.",
                "read a firing's log",
                missing=(
                    ("How did my kiln firing go?", "What is the slot reference of the firing?"),
                ),
            ),
        ),
        cannot=(
            ("Can you glaze my bowls for me?", "glaze pieces for you"),
            ("Sign me up for the wheel-throwing course.", "enrol in pottery courses"),
        ),
    ),
    # -- bicycle workshop -----------------------------------------------------------------------
    Domain(
        "bike_workshop",
        "bicycle repair workshop jobs",
        (
            Action(
                "book_bike_repair",
                "Book a bicycle in for repair at the workshop.",
                (
                    Param(
                        "service",
                        "string",
                        "Repair service.",
                        (
                            ("puncture", "puncture repair"),
                            ("puncture", "flat tyre fix"),
                            ("brake service", "brake service"),
                            ("brake service", "brakes sorted"),
                            ("full service", "full service"),
                            ("gear tune", "gear tune"),
                            ("gear tune", "gear indexing"),
                        ),
                        enum=("puncture", "brake service", "full service", "gear tune"),
                    ),
                    Param("drop_off", "string", "Drop-off date as YYYY-MM-DD.", date),
                    Param(
                        "bike",
                        "string",
                        "Short description of the bike.",
                        words(
                            "red Brompton",
                            "blue Trek road bike",
                            "black Dutch bike",
                            "green cargo bike",
                        ),
                        say=(" It's a {v}.", " The bike is a {v}."),
                    ),
                    Param(
                        "urgent",
                        "boolean",
                        "Same-day express repair.",
                        YES,
                        say=(" It's urgent.", " I need it back the same day."),
                    ),
                ),
                (
                    "I'd like to book my bike in for a {service} on {drop_off}.",
                    "{service}, dropping off {drop_off}",
                    "Can the workshop do a {service} if I bring the bike on {drop_off}?",
                    "book a {service} for my {bike}, drop-off {drop_off}",
                    "bike repair: {service} - {drop_off}",
                ),
                {
                    "job_number": ("WS-5510", "WS-6023", "WS-7481"),
                    "ready_by": ("the same evening", "the next day"),
                },
                "Your {service} is booked for drop-off on {drop_off}: job {job_number}, ready {ready_by}.",
                "book bicycle repairs",
                missing=(
                    (
                        "Book my bike in at the workshop for a full service.",
                        "Which day will you drop the bike off?",
                    ),
                    (
                        "I want to bring my bike to the repair shop on 2026-04-20.",
                        "Which repair does it need?",
                    ),
                ),
            ),
            Action(
                "repair_job_status",
                "Progress and balance due of a repair job, by job number.",
                (JOB,),
                (
                    "How's job {job_number} coming along?",
                    "is {job_number} ready?",
                    "Any update on my bike, job number {job_number}?",
                    "{job_number} status and what do I owe",
                ),
                {
                    "stage": ("waiting for parts", "on the stand", "ready to collect"),
                    "balance_gbp": (0, 35, 80),
                },
                "Job {job_number} is {stage}; balance due {balance_gbp} GBP.",
                "check a repair job",
                missing=(("Is my bike ready at the workshop yet?", "What is the job number?"),),
            ),
        ),
        cannot=(
            ("Do you sell second-hand bikes?", "sell bicycles"),
            ("Can you collect my bike from my house?", "collect bikes from home"),
        ),
    ),
    # -- language placement tests ---------------------------------------------------------------
    Domain(
        "placement_tests",
        "language school placement tests",
        (
            Action(
                "book_placement_test",
                "Book a language placement test for a new student.",
                (
                    Param(
                        "language",
                        "string",
                        "Language to be tested.",
                        (
                            ("spanish", "Spanish"),
                            ("french", "French"),
                            ("german", "German"),
                            ("japanese", "Japanese"),
                        ),
                        enum=("spanish", "french", "german", "japanese"),
                    ),
                    Param("test_date", "string", "Test date as YYYY-MM-DD.", date),
                    Param(
                        "candidate_name",
                        "string",
                        "Full name of the candidate.",
                        words("Ana Lima", "Tomasz Nowak", "Priya Raman", "Jules Martin"),
                    ),
                    Param(
                        "test_format",
                        "string",
                        "How the test is taken.",
                        (
                            ("online", "online"),
                            ("online", "remotely"),
                            ("in person", "in person"),
                            ("in person", "at the school"),
                        ),
                        enum=("online", "in person"),
                        say=(" I'd like to do it {v}.", " {v} if possible."),
                    ),
                ),
                (
                    "Please book a {language} placement test for {candidate_name} on {test_date}.",
                    "{candidate_name} needs a {language} level test, {test_date}",
                    "Could {candidate_name} sit the {language} placement exam on {test_date}?",
                    "placement test {language} {test_date} for {candidate_name}",
                ),
                {
                    "test_ref": ("PT-20417", "PT-31852", "PT-40096"),
                    "start_time": ("09:30", "14:00", "17:15"),
                },
                "{candidate_name} is booked for the {language} placement test on {test_date} at {start_time}, "
                "reference {test_ref}.",
                "book placement tests",
                missing=(
                    (
                        "Book a French placement test for Jules Martin.",
                        "Which date should the test be on?",
                    ),
                    (
                        "I need a placement test on 2026-09-01 for Ana Lima.",
                        "Which language is the test for?",
                    ),
                ),
            ),
            Action(
                "placement_result",
                "Score and assigned level of a placement test, by test reference.",
                (TEST_REF,),
                (
                    "What level did {test_ref} come out at?",
                    "results for {test_ref}?",
                    "How did I do on my placement test? Reference {test_ref}.",
                    "{test_ref} score please",
                ),
                {"level": ("A2", "B1", "B2", "C1"), "score_pct": (48, 67, 81)},
                "Test {test_ref}: {score_pct}%, placed at level {level}.",
                "report a test result",
                missing=(
                    ("What level did my placement test put me at?", "What is the test reference?"),
                ),
            ),
        ),
        cannot=(
            ("Enrol me in the B1 evening Spanish course.", "enrol you in a course"),
            ("Can I get a certificate for my placement result?", "issue certificates"),
        ),
    ),
    # -- coworking ------------------------------------------------------------------------------
    Domain(
        "coworking_desks",
        "coworking desk hire",
        (
            Action(
                "hire_desk",
                "Hire a desk at the coworking space for one or more days.",
                (
                    Param(
                        "desk_type",
                        "string",
                        "Kind of desk.",
                        (
                            ("hot desk", "hot desk"),
                            ("hot desk", "hot-desk"),
                            ("fixed desk", "fixed desk"),
                            ("fixed desk", "dedicated desk"),
                            ("private booth", "private booth"),
                        ),
                        enum=("hot desk", "fixed desk", "private booth"),
                    ),
                    Param("start_date", "string", "First day as YYYY-MM-DD.", date),
                    Param("days", "integer", "Number of days.", count(2, 10)),
                    Param(
                        "locker",
                        "boolean",
                        "Add a personal locker.",
                        YES,
                        say=(" I'll need a locker too.", " Add a locker, please."),
                    ),
                ),
                (
                    "I'd like to hire a {desk_type} for {days} days from {start_date}.",
                    "{desk_type} {start_date}, {days} days?",
                    "can i book a {desk_type} starting {start_date} for {days} days",
                    "Please reserve a {desk_type} at the coworking space: {days} days, from {start_date}.",
                    "{days} days of {desk_type} from {start_date}",
                ),
                {"booking_id": ("CW-0412", "CW-0877", "CW-1390"), "floor": (1, 2, 3)},
                "Your {desk_type} is booked from {start_date} for {days} days on floor {floor}, booking {booking_id}.",
                "hire desks",
                missing=(
                    (
                        "Hire me a hot desk at the coworking space for 3 days.",
                        "Which day should it start?",
                    ),
                    (
                        "Book a private booth at the coworking space from 2026-06-08.",
                        "For how many days?",
                    ),
                ),
            ),
            Action(
                "desk_availability",
                "Free desks at the coworking space on a day.",
                (
                    Param("day", "string", "Day as YYYY-MM-DD.", date),
                    Param(
                        "desk_type",
                        "string",
                        "Only this kind of desk.",
                        (
                            ("hot desk", "hot desk"),
                            ("fixed desk", "fixed desk"),
                            ("private booth", "booth"),
                        ),
                        enum=("hot desk", "fixed desk", "private booth"),
                        say=(" Looking for a {v}.", " Only a {v}."),
                    ),
                ),
                (
                    "How many desks are free on {day}?",
                    "anything free {day}?",
                    "Is there space to work at the coworking space on {day}?",
                    "{day}: desk availability",
                ),
                {"free_desks": (0, 4, 9), "quiet_zone": ("open", "full")},
                "On {day} there are {free_desks} free desks; the quiet zone is {quiet_zone}.",
                "check desk availability",
            ),
        ),
        cannot=(
            ("Book the big meeting room for a workshop.", "book meeting rooms"),
            ("Can you register my company at your address?", "provide a business address"),
        ),
    ),
    # -- seed bank ------------------------------------------------------------------------------
    Domain(
        "seed_bank",
        "community seed bank packets",
        (
            Action(
                "borrow_seeds",
                "Set aside seed packets from the community seed bank.",
                (
                    Param("variety", "string", "Seed variety name.", VARIETIES),
                    Param("packets", "integer", "Number of packets.", count(2, 5)),
                    Param(
                        "member_card",
                        "string",
                        "Seed bank card, e.g. 'SB-0192'.",
                        code("SB-####"),
                        say=(" My card is {v}.", " Card number {v}."),
                    ),
                ),
                (
                    "Could I take {packets} packets of {variety} from the seed bank?",
                    "{variety} seeds x {packets}",
                    "please set aside {packets} packets of {variety} seeds for me",
                    "I'd like {packets} {variety} packets.",
                    "seed bank: {packets} of {variety}",
                ),
                {
                    "loan_ref": ("SL-771", "SL-902", "SL-1150"),
                    "return_by": ("2026-10-31", "2027-09-30"),
                },
                "{packets} packets of {variety} are set aside (loan {loan_ref}); please return saved seed by "
                "{return_by}.",
                "set aside seed packets",
                missing=(
                    (
                        "I'd like some seed packets from the seed bank, 2 please.",
                        "Which variety would you like?",
                    ),
                ),
            ),
            Action(
                "seed_germination_record",
                "Germination rate and stock of a seed variety.",
                (
                    Param("variety", "string", "Seed variety name.", VARIETIES),
                    Param(
                        "harvest_year",
                        "integer",
                        "Only seed from this harvest year.",
                        count(2019, 2025, words=False),
                        say=(" From the {v} harvest.", " The {v} batch."),
                    ),
                ),
                (
                    "How well does the {variety} seed germinate?",
                    "{variety} - germination rate?",
                    "Is the {variety} still any good? How many packets are left?",
                    "germination record for {variety}",
                ),
                {"germination_pct": (62, 78, 91), "packets_left": (0, 6, 23)},
                "{variety}: {germination_pct}% germination, {packets_left} packets left.",
                "report germination and stock",
                missing=(
                    (
                        "What's the germination rate of the seed bank's tomato seed?",
                        "Which variety do you mean?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you post the seeds to me?", "post seeds"),
            ("When should I sow runner beans outdoors?", "give sowing advice"),
        ),
    ),
    # -- marathon -------------------------------------------------------------------------------
    Domain(
        "marathon_entries",
        "marathon race registrations",
        (
            Action(
                "register_runner",
                "Register a runner for one of the race day distances.",
                (
                    Param(
                        "runner_name",
                        "string",
                        "Runner's full name.",
                        words("Maria Okafor", "Ben Hadley", "Sofia Rossi", "Kenji Ito"),
                    ),
                    Param(
                        "distance",
                        "string",
                        "Race distance.",
                        (
                            ("full", "the full marathon"),
                            ("full", "the full"),
                            ("half", "the half"),
                            ("half", "the half marathon"),
                            ("10k", "the 10K"),
                            ("10k", "the 10k"),
                        ),
                        enum=("full", "half", "10k"),
                    ),
                    Param(
                        "shirt_size",
                        "string",
                        "Finisher T-shirt size.",
                        (("S", "small"), ("M", "medium"), ("L", "large"), ("XL", "XL")),
                        enum=("S", "M", "L", "XL"),
                        say=(" T-shirt size {v}.", " A {v} shirt, please."),
                    ),
                    Param(
                        "expected_minutes",
                        "integer",
                        "Expected finish time in minutes, for wave seeding.",
                        count(30, 360, words=False),
                        say=(" I expect to finish in about {v} minutes.",),
                    ),
                ),
                (
                    "Please register {runner_name} for {distance}.",
                    "put {runner_name} down for {distance} in the race",
                    "Can {runner_name} still enter {distance}?",
                    "{runner_name} - {distance} entry",
                    "Enter me in {distance}, name {runner_name}.",
                ),
                {"bib_number": (1042, 2387, 5120), "wave": ("A", "B", "C")},
                "{runner_name} is entered in the {distance} race: bib {bib_number}, start wave {wave}.",
                "register runners",
                missing=(
                    (
                        "Register me for the half marathon, please.",
                        "What is the runner's full name?",
                    ),
                    ("Sign Ben Hadley up for the race.", "Which distance: full, half or 10K?"),
                ),
            ),
            Action(
                "runner_result",
                "Finish time and position of a runner, by bib number.",
                (BIB,),
                (
                    "What was the finish time for bib {bib_number}?",
                    "bib {bib_number} result?",
                    "How did number {bib_number} do today?",
                    "{bib_number} - time and position please",
                ),
                {"finish_time": ("03:41:12", "04:05:58", "01:52:30"), "position": (87, 412, 1290)},
                "Bib {bib_number} finished in {finish_time}, position {position}.",
                "look up race results",
                missing=(("What was my marathon finish time?", "What is your bib number?"),),
            ),
        ),
        cannot=(
            ("Transfer my race entry to my friend.", "transfer an entry"),
            ("Where can I park near the start line?", "give parking information"),
        ),
    ),
    # -- plant nursery --------------------------------------------------------------------------
    Domain(
        "plant_nursery",
        "plant nursery stock",
        (
            Action(
                "reserve_plants",
                "Hold plants from the nursery for collection or delivery.",
                (
                    Param("plant", "string", "Plant name.", PLANTS),
                    Param(
                        "pot_size",
                        "string",
                        "Pot size.",
                        (
                            ("9cm", "9 cm"),
                            ("9cm", "9cm"),
                            ("2L", "2 litre"),
                            ("2L", "2L"),
                            ("10L", "10 litre"),
                            ("10L", "10L"),
                        ),
                        enum=("9cm", "2L", "10L"),
                    ),
                    Param("quantity", "integer", "Number of plants.", count(2, 12)),
                    Param(
                        "delivery_postcode",
                        "string",
                        "Postcode to deliver to instead of collection.",
                        code("@@# #@@"),
                        say=(" Deliver to {v}.", " Postcode for delivery: {v}."),
                    ),
                ),
                (
                    "Please hold {quantity} {plant} in {pot_size} pots for me.",
                    "{quantity} x {plant}, {pot_size} pots, to hold",
                    "can you reserve {quantity} of the {plant} in {pot_size} pots?",
                    "I'd like {quantity} {pot_size} {plant}, deliver to {delivery_postcode}.",
                    "Reserve {plant}: {quantity} plants, {pot_size} pot size.",
                ),
                {
                    "hold_ref": ("PN-6610", "PN-7025", "PN-8314"),
                    "unit_price_gbp": (4.99, 12.5, 34.95),
                },
                "{quantity} {plant} in {pot_size} pots are held under {hold_ref} at {unit_price_gbp} GBP each.",
                "reserve plants",
                missing=(
                    (
                        "Hold 4 Japanese maple at the nursery for me.",
                        "Which pot size would you like?",
                    ),
                    (
                        "Reserve some dwarf lilac in 2 litre pots, please.",
                        "How many plants would you like?",
                    ),
                ),
            ),
            Action(
                "nursery_stock",
                "How many of a plant are in stock, and the next delivery.",
                (
                    Param("plant", "string", "Plant name.", PLANTS),
                    Param(
                        "site",
                        "string",
                        "Nursery site.",
                        words("Hill Farm", "Riverside", "Old Station Yard"),
                        say=(" At the {v} site.", " Check {v}."),
                    ),
                ),
                (
                    "Do you have any {plant} in stock?",
                    "{plant} - how many left?",
                    "is there {plant} available at the moment",
                    "How many {plant} have you got?",
                ),
                {"in_stock": (0, 14, 60), "next_delivery": ("next Tuesday", "in two weeks")},
                "{plant}: {in_stock} in stock, next delivery {next_delivery}.",
                "check plant stock",
                missing=(("Is that shrub in stock at the nursery?", "Which plant do you mean?"),),
            ),
        ),
        cannot=(
            ("Can someone come and plant a hedge in my garden?", "do garden planting"),
            ("Why are my lavender leaves turning yellow?", "diagnose plant problems"),
        ),
    ),
    # -- parcel lockers -------------------------------------------------------------------------
    Domain(
        "parcel_lockers",
        "courier parcel lockers",
        (
            Action(
                "send_from_locker",
                "Prepay a parcel and get a drop-off code for a parcel locker.",
                (
                    Param(
                        "locker_site",
                        "string",
                        "Locker site name.",
                        words("Station Road", "Northgate Co-op", "Elm Park", "7 Canal Street"),
                    ),
                    Param("destination_postcode", "string", "Recipient postcode.", code("@@# #@@")),
                    Param(
                        "parcel_size",
                        "string",
                        "Parcel size band.",
                        (
                            ("small", "small"),
                            ("medium", "medium"),
                            ("large", "large"),
                            ("large", "big"),
                        ),
                        enum=("small", "medium", "large"),
                    ),
                    Param(
                        "weight_kg",
                        "number",
                        "Parcel weight in kg.",
                        decimal(0.2, 20, 1),
                        say=(" It weighs {v} kg.", " About {v} kg."),
                    ),
                ),
                (
                    "I want to send a {parcel_size} parcel from the {locker_site} locker to {destination_postcode}.",
                    "{parcel_size} parcel, {locker_site} to {destination_postcode}",
                    "Can I drop a {parcel_size} box at {locker_site} going to {destination_postcode}?",
                    "send parcel to {destination_postcode} from locker at {locker_site}, size {parcel_size}",
                    "Post a {parcel_size} parcel via {locker_site}: {destination_postcode}, {weight_kg} kg.",
                ),
                {"drop_code": ("482913", "730055", "115742"), "price_gbp": (3.2, 4.75, 7.9)},
                "Drop it at {locker_site} with code {drop_code}; postage to {destination_postcode} is {price_gbp} GBP.",
                "send parcels from a locker",
                missing=(
                    (
                        "Send a small parcel from the Elm Park locker.",
                        "What is the recipient's postcode?",
                    ),
                    (
                        "I'd like to post a medium parcel to LS6 2QT through a locker.",
                        "Which locker site will you use?",
                    ),
                ),
            ),
            Action(
                "locker_pickup_status",
                "Whether a parcel is waiting in a locker, by locker code.",
                (
                    LOCKER,
                    Param(
                        "notify_sms",
                        "boolean",
                        "Text the customer when it arrives.",
                        YES,
                        say=(" Text me when it arrives.", " Send me an SMS when it's in."),
                    ),
                ),
                (
                    "Is my parcel in locker {locker_code} yet?",
                    "{locker_code}?? where's my parcel",
                    "Can you check the status of {locker_code}?",
                    "has {locker_code} arrived",
                ),
                {
                    "parcel_state": ("waiting in the locker", "on the van", "returned to sender"),
                    "collect_by": ("2026-05-03", "tomorrow at 20:00"),
                },
                "Parcel {locker_code} is {parcel_state}; collect by {collect_by}.",
                "check a locker parcel",
                missing=(("Is my parcel in the locker yet?", "What is the locker code?"),),
            ),
        ),
        cannot=(
            ("Redirect my parcel to my neighbour.", "redirect parcels"),
            ("Open locker 14 for me, the screen is broken.", "open lockers remotely"),
        ),
    ),
    # -- climbing -------------------------------------------------------------------------------
    Domain(
        "climbing_logbook",
        "climbing wall route logs",
        (
            Action(
                "log_climb",
                "Record an ascent of a wall route in the climber's logbook.",
                (
                    ROUTE,
                    Param(
                        "style",
                        "string",
                        "How it was climbed.",
                        (
                            ("flash", "flash"),
                            ("flash", "flashed"),
                            ("redpoint", "redpoint"),
                            ("redpoint", "worked it, redpoint"),
                            ("top rope", "top rope"),
                            ("top rope", "on top rope"),
                        ),
                        enum=("flash", "redpoint", "top rope"),
                    ),
                    Param("attempts", "integer", "Attempts including the send.", count(2, 12)),
                    Param(
                        "climb_date",
                        "string",
                        "Date climbed as YYYY-MM-DD; defaults to today.",
                        date,
                        say=(" That was on {v}.", " Date: {v}."),
                    ),
                ),
                (
                    "Log {route_name}: {style}, {attempts} attempts.",
                    "{route_name} done! {style}, took {attempts} goes",
                    "Please add {route_name} to my logbook - {style} in {attempts} tries.",
                    "sent {route_name} {style}, {attempts} attempts, log it",
                ),
                {"total_sends": (3, 17, 42), "points": (120, 340, 615)},
                "Logged {route_name} ({style}, {attempts} attempts); that's {total_sends} sends and {points} points.",
                "log climbs",
                missing=(
                    (
                        "Log a climb for me: Slab Happy, 3 attempts.",
                        "How did you climb it: flash, redpoint or top rope?",
                    ),
                ),
            ),
            Action(
                "route_details",
                "Grade, setter and wall of a route, by route name.",
                (ROUTE,),
                (
                    "What grade is {route_name}?",
                    "who set {route_name}?",
                    "Tell me about {route_name}.",
                    "{route_name} - grade and where",
                ),
                {
                    "grade": ("6a+", "6c", "7a"),
                    "setter": ("Mo", "Priya", "Dan"),
                    "wall": ("the cave", "the slab wall"),
                },
                "{route_name} is graded {grade}, set by {setter} on {wall}.",
                "look up route details",
                missing=(
                    (
                        "What grade is that new route on the climbing wall?",
                        "Which route do you mean?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Book me a belay induction.", "book inductions"),
            ("Can you reset the routes on the cave wall?", "set routes"),
        ),
    ),
    # -- municipal tree planting ----------------------------------------------------------------
    Domain(
        "tree_requests",
        "municipal street-tree planting requests",
        (
            Action(
                "request_street_tree",
                "Ask the council to plant a street tree outside an address.",
                (
                    Param(
                        "street_address",
                        "string",
                        "Address outside which to plant.",
                        words(
                            "14 Mill Lane", "3 Orchard Close", "27 Harbour Street", "9 Kings Road"
                        ),
                    ),
                    Param(
                        "species",
                        "string",
                        "Preferred species.",
                        (
                            ("rowan", "rowan"),
                            ("rowan", "mountain ash"),
                            ("cherry", "cherry"),
                            ("cherry", "flowering cherry"),
                            ("lime", "lime"),
                            ("lime", "linden"),
                            ("oak", "oak"),
                        ),
                        enum=("rowan", "cherry", "lime", "oak"),
                    ),
                    Param(
                        "will_water",
                        "boolean",
                        "The resident will water the tree in its first summer.",
                        YES,
                        say=(" I'm happy to water it over the summer.", " I'll water it myself."),
                    ),
                ),
                (
                    "I'd like to request a {species} tree outside {street_address}.",
                    "street tree for {street_address} please, ideally a {species}",
                    "Could the council plant a {species} in front of {street_address}?",
                    "{street_address}: new {species} tree request",
                ),
                {
                    "request_ref": ("TR-2026-118", "TR-2026-342"),
                    "planting_window": ("November", "March"),
                },
                "Request {request_ref}: a {species} for {street_address}, planting expected in {planting_window}.",
                "request street trees",
                missing=(
                    ("Please plant a cherry tree on my street.", "What is the address?"),
                    (
                        "Request a street tree outside 9 Kings Road.",
                        "Which species would you like?",
                    ),
                ),
            ),
            Action(
                "tree_request_status",
                "Progress of a tree planting request, by reference.",
                (TREE_REF,),
                (
                    "What's the status of tree request {request_ref}?",
                    "any news on planting {request_ref}",
                    "Has tree request {request_ref} been approved?",
                    "{request_ref} - when is it going in?",
                ),
                {
                    "stage": ("site survey booked", "approved", "on hold: cables underground"),
                    "survey_date": ("2026-06-12", "2026-09-03"),
                },
                "{request_ref}: {stage} (survey {survey_date}).",
                "check a request's progress",
                missing=(
                    ("Has my street tree request been approved?", "What is the request reference?"),
                ),
            ),
        ),
        cannot=(
            (
                "The tree outside my house is dropping branches, can you cut it back?",
                "prune or fell trees",
            ),
            ("Can I get a free fruit tree for my back garden?", "give trees for private gardens"),
        ),
    ),
    # -- amateur radio --------------------------------------------------------------------------
    Domain(
        "radio_club_log",
        "amateur radio club contact logs",
        (
            Action(
                "log_radio_contact",
                "Log a contact (QSO) in the club station log.",
                (
                    CALL_SIGN,
                    Param("frequency_mhz", "number", "Frequency in MHz.", decimal(1.8, 29.7, 3)),
                    Param(
                        "mode",
                        "string",
                        "Operating mode.",
                        (
                            ("SSB", "SSB"),
                            ("SSB", "voice"),
                            ("CW", "CW"),
                            ("CW", "morse"),
                            ("FT8", "FT8"),
                        ),
                        enum=("SSB", "CW", "FT8"),
                    ),
                    Param(
                        "utc_time",
                        "string",
                        "Time of the contact in UTC, as HH:MM.",
                        clock,
                        say=(" At {v} UTC.", " Time was {v} UTC."),
                    ),
                    Param(
                        "report_sent",
                        "string",
                        "Signal report given.",
                        words("59", "57", "599", "579"),
                        say=(" Gave them {v}.", " Report sent {v}."),
                    ),
                ),
                (
                    "Log a contact with {call_sign} on {frequency_mhz} MHz, {mode}.",
                    "{call_sign} {frequency_mhz} {mode}",
                    "just worked {call_sign} on {frequency_mhz} MHz using {mode}, log it please",
                    "QSO: {call_sign}, {mode}, {frequency_mhz} MHz",
                    "Please add {call_sign} to the station log - {frequency_mhz} MHz, {mode}, {utc_time} UTC.",
                ),
                {
                    "log_entry": (311, 1024, 2207),
                    "new_country": ("a new country", "not a new country"),
                },
                "Logged {call_sign} on {frequency_mhz} MHz {mode} as entry {log_entry}; it's {new_country}.",
                "log radio contacts",
                missing=(
                    ("Log a contact with G4ABC on SSB.", "What frequency was it on, in MHz?"),
                    ("Log a QSO on 14.074 MHz FT8.", "What was the other station's call sign?"),
                ),
            ),
            Action(
                "contact_history",
                "Past contacts with a call sign in the club log.",
                (
                    CALL_SIGN,
                    Param(
                        "year",
                        "integer",
                        "Only this year.",
                        count(2015, 2026, words=False),
                        say=(" Just {v}.", " In {v} only."),
                    ),
                ),
                (
                    "Have we worked {call_sign} before?",
                    "{call_sign} contact history",
                    "How many times has the club been in contact with {call_sign}?",
                    "when did we last hear {call_sign}?",
                ),
                {"contacts": (1, 4, 12), "last_band": ("20m", "40m", "2m")},
                "{call_sign}: {contacts} contacts in the log, the last on {last_band}.",
                "look up contact history",
                missing=(
                    (
                        "Have we ever worked that station before?",
                        "What is the station's call sign?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Renew my amateur radio licence.", "renew licences"),
            ("Send a QSL card to M0XYZ.", "send QSL cards"),
        ),
    ),
    # -- orchestra instrument loans -------------------------------------------------------------
    Domain(
        "instrument_loans",
        "orchestra instrument loans",
        (
            Action(
                "loan_instrument",
                "Lend an orchestra-owned instrument to a player.",
                (
                    Param(
                        "instrument",
                        "string",
                        "Instrument kind.",
                        (
                            ("violin", "violin"),
                            ("viola", "viola"),
                            ("cello", "cello"),
                            ("double bass", "double bass"),
                            ("double bass", "bass"),
                            ("clarinet", "clarinet"),
                        ),
                        enum=("violin", "viola", "cello", "double bass", "clarinet"),
                    ),
                    Param(
                        "player_name",
                        "string",
                        "Player's full name.",
                        words("Hana Sato", "Luis Ortega", "Grace O'Neill", "Felix Brandt"),
                    ),
                    Param("loan_weeks", "integer", "Loan length in weeks.", count(2, 12)),
                    Param(
                        "with_case",
                        "boolean",
                        "Include the hard case.",
                        YES,
                        say=(" With a hard case, please.", " We'll need the case too."),
                    ),
                ),
                (
                    "Please lend a {instrument} to {player_name} for {loan_weeks} weeks.",
                    "{player_name} needs a {instrument}, {loan_weeks} weeks",
                    "Can {player_name} borrow an orchestra {instrument} for {loan_weeks} weeks?",
                    "loan: {instrument} -> {player_name}, {loan_weeks} wks",
                    "{loan_weeks} weeks, {instrument}, for {player_name}",
                ),
                {
                    "loan_id": ("OL-3320", "OL-4418", "OL-5071"),
                    "serial": ("VN-0192", "VC-0033", "CL-2210"),
                },
                "{player_name} has the {instrument} (serial {serial}) for {loan_weeks} weeks, loan {loan_id}.",
                "lend instruments",
                missing=(
                    (
                        "Lend a cello to Felix Brandt from the orchestra stock.",
                        "For how many weeks?",
                    ),
                    (
                        "Loan an orchestra viola for 4 weeks, please.",
                        "Who is the player borrowing it?",
                    ),
                ),
            ),
            Action(
                "instrument_condition",
                "Condition and last borrower of an instrument, by serial.",
                (INSTRUMENT_SERIAL,),
                (
                    "What condition is {instrument_serial} in?",
                    "who had {instrument_serial} last?",
                    "Is {instrument_serial} playable at the moment?",
                    "{instrument_serial} condition check",
                ),
                {
                    "condition": ("good", "needs new strings", "in repair with a crack"),
                    "last_borrower": ("Hana Sato", "Luis Ortega"),
                },
                "Instrument {instrument_serial}: {condition}, last borrowed by {last_borrower}.",
                "report an instrument's condition",
                missing=(
                    (
                        "What state is the orchestra's spare cello in?",
                        "What is the instrument's serial?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Buy a new bow for the second violins.", "buy equipment"),
            ("Tune the timpani before rehearsal.", "tune instruments"),
        ),
    ),
]
