"""Held-out hand-written services (see ``assistant/distill/written/__init__.py``): set F.

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
STREET = Param(
    "street",
    "string",
    "Street name, e.g. 'Albion Road'.",
    words("Albion Road", "Cross Lane", "Denmark Terrace", "Hollin Way", "Wellgate"),
)
MARKET = Param(
    "market",
    "string",
    "Market name as listed by the council.",
    words(
        "Shambles Market",
        "Riverside Farmers' Market",
        "Corn Exchange Sunday Market",
        "Castle Street Night Market",
    ),
)
BRIDGE = Param(
    "bridge",
    "string",
    "Opening bridge name, e.g. 'Carlton Lift Bridge'.",
    words("Carlton Lift Bridge", "Ouse Swing Bridge", "Town Quay Bascule", "Mill Reach Bridge"),
)
FILM_LOCATION = Param(
    "location",
    "string",
    "Council-owned filming location.",
    words("Market Square", "the Quayside", "Grey Street", "Jubilee Park", "the Old Town Hall"),
)
PUPIL_ID = Param(
    "pupil_id",
    "string",
    "Pupil's school meals account number, e.g. 'SM-204817'.",
    code("SM-######"),
)

DOMAINS: list[Domain] = [
    # -- potholes -------------------------------------------------------------------------------
    Domain(
        "pothole_reports",
        "pothole repair reports",
        (
            Action(
                "report_pothole",
                "Report a pothole on a public road or footway for inspection and repair.",
                (
                    STREET,
                    Param(
                        "depth_cm",
                        "integer",
                        "Approximate pothole depth in whole centimetres.",
                        count(3, 25, words=False),
                    ),
                    Param(
                        "surface",
                        "string",
                        "Where the pothole is.",
                        (
                            ("carriageway", "carriageway"),
                            ("carriageway", "middle of the road"),
                            ("footway", "pavement"),
                            ("footway", "footpath"),
                            ("cycle lane", "cycle lane"),
                            ("cycle lane", "bike lane"),
                        ),
                        enum=("carriageway", "footway", "cycle lane"),
                        say=(" It's in the {v}.", " Location: {v}."),
                    ),
                    Param(
                        "vehicle_damaged",
                        "boolean",
                        "The pothole has already damaged a vehicle.",
                        YES,
                        say=(
                            " It's already burst my tyre.",
                            " A car's wheel got buckled in it yesterday.",
                        ),
                    ),
                ),
                (
                    "There's a pothole on {street}, about {depth_cm} cm deep.",
                    "pothole {street} {depth_cm}cm",
                    "Hello, I'd like to report a nasty pothole on {street}. I'd say it's "
                    "{depth_cm} cm deep and getting worse after all the rain.",
                    "Please log a {depth_cm} cm deep pothole on {street}.",
                    "can someone fix the pothole on {street}? it's {depth_cm} cm deep",
                ),
                {
                    "report_ref": ("PH-20417", "PH-38852", "PH-51096"),
                    "inspect_within": ("2 working days", "5 working days", "28 days"),
                },
                "The {depth_cm} cm pothole on {street} is logged as {report_ref}; an inspector "
                "will look at it within {inspect_within}.",
                "report potholes",
                missing=(
                    (
                        "There's a huge pothole outside the post office, about 12 cm deep.",
                        "Which street is the pothole on?",
                    ),
                    (
                        "I want to report a pothole on Cross Lane.",
                        "Roughly how deep is the pothole, in centimetres?",
                    ),
                ),
            ),
            Action(
                "pothole_repair_status",
                "Inspection and repair status of a reported pothole, by report reference.",
                (
                    Param(
                        "report_ref",
                        "string",
                        "Pothole report reference, e.g. 'PH-20417'.",
                        code("PH-#####"),
                    ),
                ),
                (
                    "Has pothole {report_ref} been fixed yet?",
                    "status of {report_ref}?",
                    "I reported a pothole weeks ago, reference {report_ref}. Is anything "
                    "actually happening with it?",
                    "When will {report_ref} be repaired?",
                ),
                {
                    "status": ("awaiting inspection", "repair scheduled", "repaired"),
                    "target_date": ("2026-02-16", "2026-03-04", "2026-04-21"),
                },
                "Pothole report {report_ref}: {status}; target date {target_date}.",
                "check pothole repair progress",
                missing=(
                    ("Has my pothole report been dealt with?", "What is the report reference?"),
                    (
                        "When are you going to fill in the pothole I reported?",
                        "What is the pothole report reference?",
                    ),
                ),
            ),
        ),
        cannot=(
            (
                "The pothole wrecked my tyre - I want the council to pay for a new one.",
                "handle vehicle damage claims",
            ),
            ("Can you resurface the whole of our road?", "resurface roads"),
            ("There's a pothole in my own driveway, can you fill it?", "repair private driveways"),
        ),
    ),
    # -- street lights --------------------------------------------------------------------------
    Domain(
        "streetlight_faults",
        "street light fault reports",
        (
            Action(
                "report_streetlight_fault",
                "Report a fault with a street light, by the number on its lamp column.",
                (
                    Param(
                        "column_no",
                        "string",
                        "Number on the lamp column, e.g. 'LC-4108'.",
                        code("LC-####"),
                    ),
                    Param(
                        "fault",
                        "string",
                        "What is wrong with the light.",
                        (
                            ("not working", "not working"),
                            ("not working", "out"),
                            ("flickering", "flickering"),
                            ("flickering", "flashing on and off"),
                            ("day burning", "on all day"),
                            ("day burning", "day burning"),
                            ("damaged", "damaged"),
                            ("damaged", "knocked over"),
                        ),
                        enum=("not working", "flickering", "day burning", "damaged"),
                    ),
                    Param(
                        "exposed_wires",
                        "boolean",
                        "Wiring is exposed (an urgent electrical hazard).",
                        YES,
                        say=(
                            " The door at the bottom is open and there are wires showing.",
                            " There are bare wires hanging out.",
                        ),
                    ),
                ),
                (
                    "Street light {column_no} is {fault}.",
                    "lamp {column_no} {fault}",
                    "Evening - the street light outside my house is {fault}. The number on the "
                    "post is {column_no}.",
                    "I'd like to report that lamp column {column_no} is {fault}, please.",
                ),
                {
                    "fault_ref": ("SLF-60213", "SLF-71840", "SLF-82557"),
                    "fix_within": ("24 hours", "5 working days", "10 working days"),
                },
                "Fault {fault_ref} logged for column {column_no} ({fault}); it should be fixed "
                "within {fix_within}.",
                "report street light faults",
                missing=(
                    (
                        "The street light at the end of my road keeps flickering.",
                        "What is the number on the lamp column?",
                    ),
                    (
                        "Lamp column LC-4108 needs looking at.",
                        "What is wrong with the light?",
                    ),
                ),
            ),
            Action(
                "street_lights_out",
                "How many lights on a street are reported out and when the next night patrol is.",
                (
                    STREET,
                    Param(
                        "since_month",
                        "string",
                        "Only faults reported since this month, as YYYY-MM.",
                        month,
                        say=(" Since {v}.", " Just the ones reported since {v}."),
                    ),
                ),
                (
                    "How many lights are out on {street}?",
                    "{street} street lights?",
                    "It's pitch black walking home along {street}. Do you know about the lights "
                    "being out?",
                    "are any street lights reported broken on {street}",
                ),
                {
                    "lights_out": (1, 3, 6),
                    "next_patrol": ("2026-01-13", "2026-01-20", "2026-02-03"),
                },
                "{street} has {lights_out} lights reported out; the next night patrol is on "
                "{next_patrol}.",
                "count faulty lights on a street",
                missing=(
                    (
                        "How many street lights are out on my road?",
                        "Which street do you mean?",
                    ),
                ),
            ),
        ),
        cannot=(
            (
                "Could we get a new street light put up on our dark alleyway?",
                "install new street lights",
            ),
            (
                "The street light shines right into my bedroom. Can you fit a shield?",
                "fit light shields",
            ),
        ),
    ),
    # -- noise complaints -----------------------------------------------------------------------
    Domain(
        "noise_complaints",
        "neighbourhood noise complaints",
        (
            Action(
                "log_noise_complaint",
                "Log a noise complaint about an address with the environmental health team.",
                (
                    Param(
                        "address",
                        "string",
                        "Address the noise is coming from.",
                        words(
                            "14 Beech Grove",
                            "Flat 3, 22 Harcourt Road",
                            "The Ship Inn, Quay Street",
                            "7 Paddock Close",
                        ),
                    ),
                    Param(
                        "source",
                        "string",
                        "Kind of noise.",
                        (
                            ("music", "music"),
                            ("music", "loud music"),
                            ("dog", "a dog barking"),
                            ("dog", "a barking dog"),
                            ("building works", "building work"),
                            ("building works", "drilling"),
                            ("alarm", "a burglar alarm"),
                            ("alarm", "a car alarm"),
                        ),
                        enum=("music", "dog", "building works", "alarm"),
                    ),
                    Param(
                        "started_at",
                        "string",
                        "Time the noise started, as HH:MM (24-hour).",
                        clock,
                    ),
                    Param(
                        "still_going",
                        "boolean",
                        "The noise is still going on now.",
                        YES,
                        say=(" It's still going on now.", " It hasn't stopped."),
                    ),
                ),
                (
                    "Noise complaint: {source} from {address} since {started_at}.",
                    "{source} at {address}, started {started_at}",
                    "I'm sorry to bother you but there's {source} at {address} and it's been "
                    "going since {started_at}. I can't sleep.",
                    "I'd like to complain about {source} at {address}. It started at {started_at}.",
                    "can you do something about {source} from {address}? going since {started_at}",
                ),
                {
                    "complaint_no": ("NC-30418", "NC-44972", "NC-58106"),
                    "callback": ("within 2 hours", "the next working day", "within 5 working days"),
                },
                "Complaint {complaint_no} about {source} at {address} is logged; an officer will "
                "call you back {callback}.",
                "log noise complaints",
                missing=(
                    (
                        "There's loud music coming from 14 Beech Grove, please do something.",
                        "What time did the noise start?",
                    ),
                    (
                        "A dog's been barking non-stop since 07:30.",
                        "Which address is the noise coming from?",
                    ),
                ),
            ),
            Action(
                "noise_case_progress",
                "Stage of an open noise nuisance case and how many incidents are logged on it.",
                (
                    Param(
                        "case_no",
                        "string",
                        "Noise case number, e.g. 'NC-44972'.",
                        code("NC-#####"),
                    ),
                ),
                (
                    "What's happening with noise case {case_no}?",
                    "{case_no} progress",
                    "I've been filling in diary sheets for months. Where has case {case_no} "
                    "got to?",
                    "Could you give me an update on my noise complaint {case_no}, please?",
                ),
                {
                    "stage": (
                        "diary sheets sent out",
                        "recording equipment installed",
                        "abatement notice served",
                    ),
                    "incidents": (2, 7, 15),
                },
                "Case {case_no}: {stage}; {incidents} incidents logged so far.",
                "check noise case progress",
                missing=(
                    (
                        "Has anything happened with my noise complaint?",
                        "What is your noise case number?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you send the police round to the party next door?", "send the police"),
            (
                "My neighbour's hedge is blocking all my light, can you make them cut it?",
                "handle hedge disputes",
            ),
            ("We've sorted it out with them now, please drop my complaint.", "withdraw complaints"),
        ),
    ),
    # -- council tax ----------------------------------------------------------------------------
    Domain(
        "council_tax_payments",
        "council tax payments",
        (
            Action(
                "pay_council_tax",
                "Make a card payment to a council tax account.",
                (
                    Param(
                        "account_no",
                        "string",
                        "Council tax account number, e.g. 'CT-40718265'.",
                        code("CT-########"),
                    ),
                    Param(
                        "amount_gbp",
                        "number",
                        "Amount to pay in pounds, to the penny.",
                        decimal(45.0, 320.0, 2),
                    ),
                    Param(
                        "instalment_month",
                        "string",
                        "Instalment being paid, as YYYY-MM.",
                        month,
                        say=(" It's for the {v} instalment.", " This covers {v}."),
                    ),
                ),
                (
                    "Pay {amount_gbp} off council tax account {account_no}.",
                    "council tax {account_no} £{amount_gbp}",
                    "Hi, I got a reminder letter so I'd like to pay {amount_gbp} pounds towards "
                    "my council tax, account {account_no}.",
                    "I'd like to make a payment of £{amount_gbp} to council tax account "
                    "{account_no}, please.",
                ),
                {
                    "receipt_no": ("RC-884120", "RC-902377", "RC-915604"),
                    "balance_left_gbp": (0.0, 412.5, 1036.8),
                },
                "{amount_gbp} GBP paid to account {account_no}: receipt {receipt_no}; "
                "{balance_left_gbp} GBP left to pay this year.",
                "take council tax payments",
                missing=(
                    (
                        "I want to pay £150.00 off my council tax.",
                        "What is your council tax account number?",
                    ),
                    (
                        "Make a council tax payment on account CT-40718265.",
                        "How much would you like to pay?",
                    ),
                ),
            ),
            Action(
                "council_tax_band",
                "The council tax band of a property and its annual charge.",
                (
                    Param(
                        "address",
                        "string",
                        "Property address with postcode.",
                        words(
                            "9 Lark Rise, YO31 7HB",
                            "Flat 12, Quayside Court, NE1 3DX",
                            "Orchard House, Wem, SY4 5TT",
                            "41 Gladstone Street, LS6 2QE",
                        ),
                    ),
                    Param(
                        "single_person",
                        "boolean",
                        "Apply the single person discount to the charge.",
                        YES,
                        say=(" I live on my own.", " With the single person discount."),
                    ),
                ),
                (
                    "What band is {address} in?",
                    "council tax band {address}",
                    "We're thinking of buying {address}. How much is the council tax there?",
                    "could you tell me the council tax band and yearly bill for {address}?",
                ),
                {"band": ("band B", "band D", "band F"), "annual_gbp": (1432.18, 2104.77, 3040.5)},
                "{address} is in {band}; the annual charge is {annual_gbp} GBP.",
                "look up council tax bands",
                missing=(
                    ("What council tax band is my house in?", "What is the property's address?"),
                    (
                        "How much council tax would I pay on a flat in town?",
                        "Which property's address should I look up?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("I overpaid last year, can I have the money back?", "issue refunds"),
            ("Move my direct debit to the 15th of the month.", "change direct debits"),
            ("I'm moving out next month, please close my account.", "close council tax accounts"),
        ),
    ),
    # -- street parties -------------------------------------------------------------------------
    Domain(
        "street_party_permits",
        "street party applications",
        (
            Action(
                "apply_street_party",
                "Apply to hold a residents' street party on a quiet residential street.",
                (
                    STREET,
                    Param("party_date", "string", "Party date as YYYY-MM-DD.", date),
                    Param(
                        "households",
                        "integer",
                        "Number of households taking part.",
                        count(4, 40, words=False),
                    ),
                    Param(
                        "finish_time",
                        "string",
                        "Time the party will finish, as HH:MM (24-hour).",
                        clock,
                        say=(" We'll be finished by {v}.", " It'll wind down at {v}."),
                    ),
                    Param(
                        "close_road",
                        "boolean",
                        "Close the road to traffic for the party.",
                        YES,
                        say=(" We'd need the road shut to cars.", " Can the road be closed?"),
                    ),
                ),
                (
                    "We'd like to hold a street party on {street} on {party_date}, "
                    "{households} households are joining in.",
                    "street party {street} {party_date}, {households} houses",
                    "Hiya! The neighbours on {street} want to do a party on {party_date} - "
                    "there'll be about {households} households. How do we apply?",
                    "Please register a street party for {street} on {party_date} with "
                    "{households} households.",
                ),
                {
                    "application_no": ("SP-1042", "SP-1877", "SP-2316"),
                    "decision_by": ("2026-05-08", "2026-06-19", "2026-07-31"),
                },
                "Application {application_no} for a street party on {street} on {party_date} is "
                "in; you'll have a decision by {decision_by}.",
                "apply for street parties",
                missing=(
                    (
                        "Can we have a street party on Wellgate? About 20 houses are keen.",
                        "Which date is the party?",
                    ),
                    (
                        "I want to apply for a street party on Hollin Way on 2026-06-13.",
                        "How many households are taking part?",
                    ),
                ),
            ),
            Action(
                "street_party_application_status",
                "Decision status of a street party application and the signs lent for it.",
                (
                    Param(
                        "application_no",
                        "string",
                        "Street party application number, e.g. 'SP-1877'.",
                        code("SP-####"),
                    ),
                ),
                (
                    "Has street party application {application_no} been approved?",
                    "{application_no} status?",
                    "We're busy making bunting but haven't heard back yet - what's the news on "
                    "{application_no}?",
                    "i'd like an update on party application {application_no}",
                ),
                {
                    "status": (
                        "approved",
                        "waiting for neighbour consent forms",
                        "waiting for an insurance certificate",
                    ),
                    "signs_lent": (2, 4, 6),
                },
                "Application {application_no} is {status}; {signs_lent} road closed signs are "
                "set aside for you.",
                "check street party applications",
                missing=(
                    (
                        "Has our street party been approved yet?",
                        "What is the application number?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Will the council pay for the bunting and food?", "fund street parties"),
            ("Can we sell beer at the party?", "grant alcohol licences"),
            ("Book a bouncy castle for us, please.", "hire party equipment"),
        ),
    ),
    # -- market stalls --------------------------------------------------------------------------
    Domain(
        "market_stall_pitches",
        "market stall pitch bookings",
        (
            Action(
                "book_market_pitch",
                "Book a casual trader's stall pitch at a council market for one day.",
                (
                    MARKET,
                    Param(
                        "trader_no",
                        "string",
                        "Registered trader number, e.g. 'MT-3051'.",
                        code("MT-####"),
                    ),
                    Param("market_date", "string", "Market day as YYYY-MM-DD.", date),
                    Param(
                        "pitch_size",
                        "string",
                        "Pitch size.",
                        (
                            ("single", "single"),
                            ("single", "standard"),
                            ("double", "double"),
                            ("double", "double-width"),
                            ("corner", "corner"),
                            ("corner", "street-corner"),
                        ),
                        enum=("single", "double", "corner"),
                        say=(" Pitch size: {v}.", " It should be a {v} one."),
                    ),
                    Param(
                        "power",
                        "boolean",
                        "Electric hook-up on the pitch.",
                        YES,
                        say=(" We'll need electric.", " Can we have a power hook-up?"),
                    ),
                ),
                (
                    "Book me a pitch at {market} on {market_date}, trader {trader_no}.",
                    "{trader_no} - pitch at {market}, {market_date}",
                    "Hello, I sell handmade candles and I'd love a stall at {market} on "
                    "{market_date}. My trader number is {trader_no}.",
                    "Could trader {trader_no} have a pitch at {market} for {market_date}?",
                ),
                {
                    "pitch_no": ("A14", "C3", "F22"),
                    "fee_gbp": (28.0, 45.0, 62.5),
                },
                "Pitch {pitch_no} at {market} on {market_date} is booked for trader "
                "{trader_no}; the fee is {fee_gbp} GBP.",
                "book market pitches",
                missing=(
                    (
                        "I'd like a pitch at the Shambles Market on 2026-04-18.",
                        "What is your trader number?",
                    ),
                    (
                        "Trader MT-3051 here, can I book a pitch on 2026-05-02?",
                        "Which market would you like a pitch at?",
                    ),
                ),
            ),
            Action(
                "market_pitches_free",
                "How many pitches are still free at a market and the footfall expected.",
                (
                    MARKET,
                    Param(
                        "market_date",
                        "string",
                        "Market day as YYYY-MM-DD; the next market day if omitted.",
                        date,
                        say=(" On {v}.", " For the market on {v}."),
                    ),
                ),
                (
                    "Any pitches left at {market}?",
                    "free pitches {market}",
                    "I'm new to market trading - is there still room at {market}, and does it "
                    "get busy?",
                    "How many stalls are free at {market}?",
                ),
                {
                    "free_pitches": (0, 4, 13),
                    "footfall": ("quiet", "steady", "very busy"),
                },
                "{market} has {free_pitches} pitches free; footfall is expected to be {footfall}.",
                "check free market pitches",
                missing=(
                    (
                        "Are there any free pitches this Saturday?",
                        "Which market do you mean?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you renew my street trading licence?", "renew street trading licences"),
            ("Could you lend us a gazebo for the stall?", "hire out gazebos"),
            ("Move my pitch booking to the following week.", "change existing bookings"),
        ),
    ),
    # -- busking --------------------------------------------------------------------------------
    Domain(
        "busking_pitches",
        "busking pitches and licences",
        (
            Action(
                "book_busking_slot",
                "Book a timed slot at one of the town centre's busking pitches.",
                (
                    Param(
                        "pitch",
                        "string",
                        "Busking pitch name.",
                        words(
                            "Market Cross",
                            "Bridge Street bandstand",
                            "Abbey Gate",
                            "Cathedral Green",
                        ),
                    ),
                    Param("slot_date", "string", "Date of the slot as YYYY-MM-DD.", date),
                    Param(
                        "start_time",
                        "string",
                        "Start time as HH:MM (24-hour).",
                        clock,
                    ),
                    Param(
                        "hours",
                        "integer",
                        "Length of the slot in hours, 1-3; 1 if omitted.",
                        count(1, 3),
                        say=(" For {v} hours.", " I'd like {v} hours if I can."),
                    ),
                    Param(
                        "amplified",
                        "boolean",
                        "The act uses an amplifier.",
                        YES,
                        say=(" I'll be using a small amp.", " I play through an amp."),
                    ),
                ),
                (
                    "Book me {pitch} on {slot_date} from {start_time}.",
                    "busk {pitch} {slot_date} {start_time}",
                    "Hi! I play acoustic guitar and I'd love to busk at {pitch} on {slot_date}, "
                    "starting around {start_time}.",
                    "Can I have the {pitch} pitch at {start_time} on {slot_date}?",
                    "i'd like a busking slot at {pitch}, {slot_date}, start {start_time}",
                ),
                {
                    "slot_ref": ("BK-2091", "BK-3318", "BK-4760"),
                    "pitch_rule": (
                        "keep the shop doorways clear",
                        "no amplification after 18:00",
                        "move on after your slot ends",
                    ),
                },
                "You're booked at {pitch} on {slot_date} from {start_time}: ref {slot_ref}. "
                "Pitch rule: {pitch_rule}.",
                "book busking slots",
                missing=(
                    (
                        "Can I busk at Market Cross on 2026-07-11?",
                        "What time would you like to start?",
                    ),
                    (
                        "Book me a busking slot on 2026-08-22 at 14:00.",
                        "Which pitch would you like?",
                    ),
                ),
            ),
            Action(
                "busker_licence_check",
                "Validity and approved act types of a busking licence, by licence number.",
                (
                    Param(
                        "licence_no",
                        "string",
                        "Busking licence number, e.g. 'BL-204K'.",
                        code("BL-###@"),
                    ),
                ),
                (
                    "Is busking licence {licence_no} still valid?",
                    "{licence_no} valid?",
                    "A warden asked to see my licence - can you confirm {licence_no} is in date "
                    "and what it covers?",
                    "what am I allowed to do under licence {licence_no}?",
                ),
                {
                    "valid_until": ("2026-03-31", "2026-09-30", "2027-03-31"),
                    "approved_for": (
                        "acoustic acts only",
                        "acoustic and amplified acts",
                        "acoustic acts, no drums",
                    ),
                },
                "Licence {licence_no} is valid until {valid_until}, approved for {approved_for}.",
                "check busking licences",
                missing=(("Is my busking licence still valid?", "What is your licence number?"),),
            ),
        ),
        cannot=(
            ("Please issue me a new busking licence.", "issue busking licences"),
            (
                "Someone's playing on my pitch during my slot - can you move them on?",
                "move other performers on",
            ),
            ("Can I busk inside the shopping centre?", "book pitches on private property"),
        ),
    ),
    # -- drones ---------------------------------------------------------------------------------
    Domain(
        "drone_flight_permits",
        "drone flight permits for council land",
        (
            Action(
                "apply_drone_permit",
                "Apply for permission to take off and fly a drone from council-owned land.",
                (
                    Param(
                        "operator_id",
                        "string",
                        "CAA operator ID, e.g. 'GBR-OP-2817KQTM'.",
                        code("GBR-OP-####@@@@"),
                    ),
                    Param(
                        "site",
                        "string",
                        "Council site to fly from.",
                        words(
                            "Victoria Park",
                            "Riverside Meadows",
                            "Castle Hill Country Park",
                            "Beacon Fell",
                        ),
                    ),
                    Param("flight_date", "string", "Flight date as YYYY-MM-DD.", date),
                    Param(
                        "takeoff_kg",
                        "number",
                        "Drone take-off mass in kilograms.",
                        decimal(0.2, 4.5, 2),
                    ),
                    Param(
                        "purpose",
                        "string",
                        "Why the flight is being made.",
                        (
                            ("photography", "photography"),
                            ("photography", "aerial photos"),
                            ("survey", "survey"),
                            ("survey", "mapping"),
                            ("recreational", "recreational flying"),
                            ("recreational", "fun"),
                        ),
                        enum=("photography", "survey", "recreational"),
                        say=(" It's for {v}.", " Purpose: {v}."),
                    ),
                    Param(
                        "max_height_m",
                        "integer",
                        "Highest planned altitude in metres.",
                        count(20, 120, words=False),
                        say=(" I won't go above {v} m.", " Max height {v} metres."),
                    ),
                ),
                (
                    "I'd like to fly my drone at {site} on {flight_date}. Operator ID "
                    "{operator_id}, it weighs {takeoff_kg} kg.",
                    "drone permit {site} {flight_date}, {operator_id}, {takeoff_kg}kg",
                    "Can I get permission to fly from {site} on {flight_date}? My operator ID is "
                    "{operator_id} and the drone is {takeoff_kg} kg.",
                    "Please apply for a drone permit: {operator_id}, {site}, {flight_date}, "
                    "{takeoff_kg} kg take-off mass.",
                ),
                {
                    "permit_no": ("DP-5510", "DP-6283", "DP-7047"),
                    "condition": (
                        "keep 50 m from people",
                        "fly before 10:00 only",
                        "no flying over the play area",
                    ),
                },
                "Permit {permit_no} for {site} on {flight_date} is granted; condition: "
                "{condition}.",
                "apply for drone permits",
                missing=(
                    (
                        "Can I fly my 0.9 kg drone at Victoria Park on 2026-05-17?",
                        "What is your CAA operator ID?",
                    ),
                    (
                        "Operator GBR-OP-2817KQTM, I'd like to fly from Beacon Fell on 2026-06-06.",
                        "What is the drone's take-off mass in kilograms?",
                    ),
                ),
            ),
            Action(
                "drone_site_restrictions",
                "Whether a council site is open to permitted drone flights and its height ceiling.",
                (
                    Param(
                        "site",
                        "string",
                        "Council site to check.",
                        words("Victoria Park", "Riverside Meadows", "Castle Hill Country Park"),
                    ),
                    Param(
                        "on_date",
                        "string",
                        "Date to check as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" On {v}.", " I'm hoping to go up on {v}."),
                    ),
                ),
                (
                    "Can drones fly at {site}?",
                    "{site} drone restrictions",
                    "Before I apply for a permit, is {site} open for drone flights and how high "
                    "can I go?",
                    "any no-fly rules at {site}?",
                ),
                {
                    "status": (
                        "open to permitted flights",
                        "closed for an event",
                        "closed for the nesting season",
                    ),
                    "ceiling_m": (60, 90, 120),
                },
                "{site} is {status}; the height ceiling is {ceiling_m} m.",
                "check drone site restrictions",
                missing=(
                    ("What's the height limit for drones in the park?", "Which site do you mean?"),
                ),
            ),
        ),
        cannot=(
            ("Register my new drone with the CAA for me.", "register drones with the CAA"),
            ("Can one of your pilots film our wedding from the air?", "provide drone pilots"),
            (
                "I want to fly near the airport - can you clear it with air traffic control?",
                "arrange airport airspace clearance",
            ),
        ),
    ),
    # -- film locations -------------------------------------------------------------------------
    Domain(
        "film_location_permits",
        "film location permits",
        (
            Action(
                "apply_film_permit",
                "Apply for a permit to film at a council-owned location.",
                (
                    Param(
                        "production",
                        "string",
                        "Production title.",
                        words("Harbour Lights", "The Long Field", "Night Bus", "Saltmarsh"),
                    ),
                    FILM_LOCATION,
                    Param("shoot_date", "string", "Shoot date as YYYY-MM-DD.", date),
                    Param(
                        "crew_size",
                        "integer",
                        "Total cast and crew on location.",
                        count(3, 60, words=False),
                    ),
                    Param(
                        "night_shoot",
                        "boolean",
                        "Filming continues after dark.",
                        YES,
                        say=(" We'll be shooting after dark.", " It's a night shoot."),
                    ),
                ),
                (
                    "Permit for {production} at {location} on {shoot_date}, crew of {crew_size}.",
                    "{production} - film {location} {shoot_date}, {crew_size} crew",
                    "Hello, we're a small indie team making {production} and we'd love to film at "
                    "{location} on {shoot_date}. There will be {crew_size} of us.",
                    "Please apply for a filming permit: {production}, {location}, {shoot_date}, "
                    "{crew_size} people.",
                ),
                {
                    "permit_ref": ("FL-7721", "FL-8094", "FL-8630"),
                    "fee_gbp": (150, 420, 980),
                },
                "Permit {permit_ref} for {production} at {location} on {shoot_date} "
                "({crew_size} crew) is issued; the fee is {fee_gbp} GBP.",
                "apply for filming permits",
                missing=(
                    (
                        "We want to film Night Bus on Grey Street with 12 crew.",
                        "Which date is the shoot?",
                    ),
                    (
                        "Permit for Saltmarsh at Jubilee Park on 2026-09-03, please.",
                        "How many cast and crew will be on location?",
                    ),
                ),
            ),
            Action(
                "film_location_quote",
                "Quote the location fee for filming at a council location for some days.",
                (
                    FILM_LOCATION,
                    Param(
                        "shoot_days",
                        "integer",
                        "Number of filming days.",
                        count(1, 10),
                    ),
                    Param(
                        "student_production",
                        "boolean",
                        "A student production, eligible for the reduced rate.",
                        YES,
                        say=(" It's a student film.", " We're film school students."),
                    ),
                ),
                (
                    "How much to film at {location} for {shoot_days} days?",
                    "quote {location} {shoot_days} days",
                    "We're budgeting a short film and need {shoot_days} days at {location}. "
                    "What would the council charge?",
                    "Could I get a location fee quote for {location}, {shoot_days} days?",
                ),
                {
                    "quote_gbp": (300, 1200, 2750),
                    "notice_days": (5, 10, 20),
                },
                "{shoot_days} days at {location} would cost {quote_gbp} GBP; apply at least "
                "{notice_days} working days ahead.",
                "quote location fees",
                missing=(
                    (
                        "How much does it cost to film in Market Square?",
                        "How many days would you be filming?",
                    ),
                    (
                        "What's the fee for a three-day shoot?",
                        "Which location would you like to film at?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you find us thirty extras for a crowd scene?", "cast extras"),
            ("We need to hire a generator for the shoot.", "hire out equipment"),
            (
                "Can you get the owner of the corner shop to let us film inside?",
                "get consent from private property owners",
            ),
        ),
    ),
    # -- road closures --------------------------------------------------------------------------
    Domain(
        "road_closures",
        "temporary road closures",
        (
            Action(
                "apply_road_closure",
                "Apply for a temporary traffic order to close a road for some days.",
                (
                    Param(
                        "road",
                        "string",
                        "Road to close.",
                        words(
                            "Priory Road", "Moor Lane", "Fossgate", "Ladywell Hill", "Kings Parade"
                        ),
                    ),
                    Param("start_date", "string", "First day of the closure as YYYY-MM-DD.", date),
                    Param("days", "integer", "Length of the closure in days.", count(1, 14)),
                    Param(
                        "reason",
                        "string",
                        "Why the road is closed.",
                        (
                            ("roadworks", "roadworks"),
                            ("roadworks", "utility works"),
                            ("event", "an event"),
                            ("event", "a community event"),
                            ("scaffolding", "scaffolding"),
                            ("crane lift", "a crane lift"),
                            ("crane lift", "crane work"),
                        ),
                        enum=("roadworks", "event", "scaffolding", "crane lift"),
                        say=(" It's for {v}.", " Reason: {v}."),
                    ),
                ),
                (
                    "I need {road} closed for {days} days from {start_date}.",
                    "close {road} {start_date}, {days} days",
                    "We're a small building firm and we'll need {road} shut from {start_date} "
                    "for {days} days. Can you apply for the order?",
                    "Please apply to close {road} starting {start_date} for {days} days.",
                ),
                {
                    "order_ref": ("TTO-2210", "TTO-3374", "TTO-4081"),
                    "fee_gbp": (860, 1340, 2150),
                },
                "The closure of {road} from {start_date} for {days} days is applied for: order "
                "{order_ref}, fee {fee_gbp} GBP.",
                "apply for road closures",
                missing=(
                    (
                        "Can you close Fossgate for 3 days?",
                        "Which date should the closure start?",
                    ),
                    (
                        "I need Moor Lane closed from 2026-04-07.",
                        "How many days should the road be closed for?",
                    ),
                ),
            ),
            Action(
                "closures_in_district",
                "How many roads are closed in a district and the longest diversion.",
                (
                    Param(
                        "district",
                        "string",
                        "District of the town.",
                        words("Northgate", "Harbourside", "Eastfield", "Old Town"),
                    ),
                    Param(
                        "on_date",
                        "string",
                        "Date to check as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" On {v}.", " I'm driving through on {v}."),
                    ),
                ),
                (
                    "Any road closures in {district}?",
                    "{district} closures",
                    "I've got to get across {district} for a hospital appointment - are there any "
                    "roads shut?",
                    "what roads are closed in {district}",
                ),
                {
                    "closed_roads": (0, 2, 5),
                    "longest_diversion": ("none", "1.5 miles via Ring Road", "4 miles via the A64"),
                },
                "{district} has {closed_roads} roads closed; longest diversion: "
                "{longest_diversion}.",
                "list closures in a district",
                missing=(("Are there any roads closed today?", "Which district do you mean?"),),
            ),
        ),
        cannot=(
            (
                "Can the closure on Priory Road end early so I can get to work?",
                "lift closures early",
            ),
            ("I want to object to the planned closure of Moor Lane.", "take objections"),
            ("Could you put a diversion sign up at our junction?", "put up road signs"),
        ),
    ),
    # -- bridge lifts ---------------------------------------------------------------------------
    Domain(
        "bridge_lift_times",
        "swing and lift bridge openings",
        (
            Action(
                "request_bridge_lift",
                "Ask the bridge keeper to open a lift or swing bridge for a vessel.",
                (
                    BRIDGE,
                    Param(
                        "vessel",
                        "string",
                        "Vessel name.",
                        words("Sea Swallow", "Kittiwake", "Marianne", "Lady Jane", "Otter"),
                    ),
                    Param(
                        "arrival_time",
                        "string",
                        "Expected arrival at the bridge, as HH:MM (24-hour).",
                        clock,
                    ),
                    Param(
                        "air_draft_m",
                        "number",
                        "Vessel's air draft (height above the water) in metres.",
                        decimal(3.5, 18.0),
                    ),
                    Param(
                        "on_date",
                        "string",
                        "Date of passage as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" On {v}.", " That's for {v}."),
                    ),
                ),
                (
                    "{vessel} needs {bridge} opened at {arrival_time}, air draft {air_draft_m} m.",
                    "open {bridge} for {vessel} {arrival_time}, {air_draft_m}m",
                    "Good morning! We're on the yacht {vessel}, heading upriver, and we'll reach "
                    "{bridge} at about {arrival_time}. Our air draft is {air_draft_m} metres.",
                    "Please request an opening of {bridge} for {vessel}, arriving {arrival_time}, "
                    "air draft {air_draft_m} m.",
                ),
                {
                    "lift_time": ("10:20", "13:45", "16:30"),
                    "lift_ref": ("BR-4012", "BR-5220", "BR-6891"),
                },
                "{bridge} will open for {vessel} at {lift_time} (ref {lift_ref}).",
                "request bridge openings",
                missing=(
                    (
                        "Can Kittiwake get through Ouse Swing Bridge at 15:00?",
                        "What is your vessel's air draft, in metres?",
                    ),
                    (
                        "Lift Carlton Lift Bridge for Marianne, air draft 9.5 m.",
                        "What time will you reach the bridge?",
                    ),
                ),
            ),
            Action(
                "next_bridge_lift",
                "The next scheduled opening of a bridge and how long road traffic is stopped.",
                (
                    BRIDGE,
                    Param(
                        "on_date",
                        "string",
                        "Date to check as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" On {v}.", " I'll be crossing on {v}."),
                    ),
                ),
                (
                    "When does {bridge} next open?",
                    "{bridge} next opening",
                    "I drive over {bridge} on the school run and keep getting stuck. When's the "
                    "next opening?",
                    "is {bridge} opening soon",
                ),
                {
                    "next_lift": ("11:15", "14:00", "17:40"),
                    "road_closed_min": (6, 10, 15),
                },
                "{bridge} next opens at {next_lift}; the road is closed for about "
                "{road_closed_min} minutes.",
                "look up bridge lift times",
                missing=(("When's the next bridge opening?", "Which bridge do you mean?"),),
            ),
        ),
        cannot=(
            ("Can you send a pilot to take us through the harbour?", "arrange pilots"),
            (
                "The barrier on the bridge is stuck down - can you report it?",
                "report bridge faults",
            ),
        ),
    ),
    # -- school meals ---------------------------------------------------------------------------
    Domain(
        "school_meal_payments",
        "school meal accounts",
        (
            Action(
                "top_up_meal_account",
                "Top up a pupil's school meals account by card.",
                (
                    PUPIL_ID,
                    Param(
                        "amount_gbp",
                        "number",
                        "Amount to add in pounds, to the penny.",
                        decimal(5.0, 60.0, 2),
                    ),
                    Param(
                        "low_balance_alert",
                        "boolean",
                        "Text the parent when the balance falls below £5.",
                        YES,
                        say=(" Text me when it's running low.", " And turn on low balance alerts."),
                    ),
                ),
                (
                    "Top up {pupil_id} with £{amount_gbp}.",
                    "add {amount_gbp} to {pupil_id}",
                    "Hi, my son says his dinner money has run out. Could you put £{amount_gbp} "
                    "on account {pupil_id}?",
                    "Please add £{amount_gbp} to school meals account {pupil_id}.",
                    "I'd like to pay {amount_gbp} pounds into {pupil_id} for lunches.",
                ),
                {
                    "new_balance_gbp": (12.4, 37.85, 64.1),
                    "meals_covered": (5, 14, 27),
                },
                "{amount_gbp} GBP added to {pupil_id}: the balance is {new_balance_gbp} GBP, about "
                "{meals_covered} meals.",
                "top up meal accounts",
                missing=(
                    (
                        "Put £20 on my daughter's dinner account.",
                        "What is her meals account number?",
                    ),
                    ("Top up school meals account SM-204817.", "How much would you like to add?"),
                ),
            ),
            Action(
                "meal_spending_statement",
                "Meals taken and money spent on a pupil's meals account in one month.",
                (
                    PUPIL_ID,
                    Param("for_month", "string", "Month to report, as YYYY-MM.", month),
                ),
                (
                    "How much did {pupil_id} spend on lunches in {for_month}?",
                    "{pupil_id} statement {for_month}",
                    "I'd like to check whether my twins are actually eating lunch - what does "
                    "account {pupil_id} show for {for_month}?",
                    "meals taken on {pupil_id} in {for_month}?",
                ),
                {
                    "meals_taken": (12, 17, 20),
                    "spent_gbp": (28.6, 42.5, 51.0),
                },
                "In {for_month}, {pupil_id} took {meals_taken} meals and spent {spent_gbp} GBP.",
                "show monthly meal statements",
                missing=(
                    (
                        "How many lunches did SM-204817 have?",
                        "Which month would you like the statement for?",
                    ),
                    (
                        "What did my son spend on school dinners in March 2026?",
                        "What is his meals account number?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("I'd like to apply for free school meals for my son.", "process free meal claims"),
            ("Switch my daughter to the vegetarian menu.", "change meal choices"),
            ("He's left the school - please refund what's left.", "refund balances"),
        ),
    ),
]
