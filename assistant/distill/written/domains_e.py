"""Hand-written services (see ``assistant/distill/written/__init__.py``): set E."""

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
LOCK = Param(
    "lock",
    "string",
    "Lock or lock flight name, e.g. 'Caen Hill'.",
    words("Caen Hill", "Bingley Five Rise", "Foxton Locks", "Neptune's Staircase", "Tardebigge"),
)
BOX_SIZE = Param(
    "box_size", "string", "Veg box size.",
    (("small", "small"), ("small", "solo"), ("medium", "medium"), ("medium", "standard"),
     ("large", "large"), ("large", "family-size")),
    enum=("small", "medium", "large"),
)  # fmt: skip
LADDER_PLAYER = words("Freya Holt", "Marco Bellini", "Sanjay Iyer", "Colette Baudin", "Ewan Fraser")
PROPERTY = Param(
    "property",
    "string",
    "Property name or address as on the account.",
    words(
        "Hollybush Farm", "Nant-y-Felin", "2 Chapel Cottages", "Low Garth", "Mill House, Eskdale"
    ),
)

DOMAINS: list[Domain] = [
    # -- canal locks ----------------------------------------------------------------------------
    Domain(
        "canal_locks",
        "canal lock passage bookings",
        (
            Action(
                "book_lock_passage",
                "Book a boat's passage through a staffed canal lock flight.",
                (
                    LOCK,
                    Param("passage_date", "string", "Passage date as YYYY-MM-DD.", date),
                    Param("boat_length_m", "number", "Boat length in metres.", decimal(6.0, 21.5)),
                    Param(
                        "direction",
                        "string",
                        "Direction of travel through the flight.",
                        (
                            ("uphill", "uphill"),
                            ("uphill", "up the flight"),
                            ("downhill", "downhill"),
                            ("downhill", "down the flight"),
                        ),
                        enum=("uphill", "downhill"),
                        say=(" We'll be going {v}.", " Heading {v}."),
                    ),
                ),
                (
                    "Book us through {lock} on {passage_date}, the boat is {boat_length_m} m long.",
                    "lock passage {lock} {passage_date}, {boat_length_m}m narrowboat.",
                    "We're cruising the canal next week - could we get a slot at {lock} on "
                    "{passage_date}? The boat's {boat_length_m} metres.",
                    "I'd like to book passage through {lock} for a {boat_length_m} m boat on {passage_date}.",
                ),
                {
                    "passage_ref": ("CL-40213", "CL-51877", "CL-60342"),
                    "slot_time": ("08:30", "11:00", "14:15"),
                },
                "Passage through {lock} on {passage_date} is booked for {slot_time}: "
                "reference {passage_ref}.",
                "book lock passages",
                missing=(
                    (
                        "Book our narrowboat through Foxton Locks, it's 18.5 m long.",
                        "Which date would you like to go through?",
                    ),
                    (
                        "Can we get a lock passage at Caen Hill on 2026-08-14?",
                        "How long is your boat, in metres?",
                    ),
                ),
            ),
            Action(
                "lock_stoppage_status",
                "Whether a canal lock is open or closed for a stoppage, and how many boats are queuing.",
                (
                    LOCK,
                    Param(
                        "on_date",
                        "string",
                        "Date to check as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" On {v}.", " We'd be arriving {v}."),
                    ),
                ),
                (
                    "Is {lock} open?",
                    "any stoppages at {lock}?",
                    "I'd like to know whether {lock} is running normally or closed for repairs.",
                    "How long is the queue at {lock}, and is it open?",
                ),
                {
                    "state": ("open", "closed for a stoppage", "open with restricted hours"),
                    "queue_boats": (0, 3, 7),
                },
                "{lock} is {state}; {queue_boats} boats waiting.",
                "check a lock's stoppages and queue",
                missing=(
                    ("Is the lock open at the moment?", "Which lock do you mean?"),
                    (
                        "Are there any stoppages on the flight this week?",
                        "Which lock flight do you mean?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you hire us a narrowboat for the week?", "hire out boats"),
            ("Where can we empty our boat's toilet cassette?", "find sanitary stations"),
            ("Renew my boat licence, please.", "renew boat licences"),
        ),
    ),
    # -- farm veg boxes -------------------------------------------------------------------------
    Domain(
        "farm_boxes",
        "farm vegetable box deliveries",
        (
            Action(
                "order_veg_box",
                "Order a one-off vegetable box delivery from the farm.",
                (
                    Param(
                        "customer_no",
                        "string",
                        "Farm customer number, e.g. 'FB-20931'.",
                        code("FB-#####"),
                    ),
                    BOX_SIZE,
                    Param("delivery_date", "string", "Delivery date as YYYY-MM-DD.", date),
                    Param(
                        "add_fruit",
                        "boolean",
                        "Add the seasonal fruit top-up.",
                        YES,
                        say=(" Add fruit, please.", " Include the fruit top-up too."),
                    ),
                    Param(
                        "leave_out",
                        "string",
                        "A vegetable to leave out of the box.",
                        words("potatoes", "beetroot", "kale", "onions", "celeriac"),
                        say=(" No {v}, please.", " Could you swap out the {v}?"),
                    ),
                ),
                (
                    "I'd like a {box_size} veg box delivered on {delivery_date}, customer {customer_no}.",
                    "{customer_no}: {box_size} box for {delivery_date}.",
                    "Can we get a {box_size} box on {delivery_date}? Account {customer_no}. "
                    "We've got guests that week.",
                    "veg box order - {box_size}, {delivery_date}, acct {customer_no}.",
                ),
                {"order_no": ("VB-3381", "VB-4920", "VB-7715"), "price_gbp": (14.5, 19.0, 26.5)},
                "A {box_size} box is ordered for {delivery_date}: order {order_no}, {price_gbp} GBP.",
                "order veg boxes",
                missing=(
                    (
                        "Please send me a large veg box next Thursday.",
                        "What is your customer number?",
                    ),
                    (
                        "Customer FB-20931 here, I'd like a medium box.",
                        "Which date should it be delivered?",
                    ),
                ),
            ),
            Action(
                "veg_box_contents",
                "What goes into a veg box size for a delivery, by box size.",
                (
                    BOX_SIZE,
                    Param(
                        "delivery_date",
                        "string",
                        "Delivery date as YYYY-MM-DD; the next delivery if omitted.",
                        date,
                        say=(" For the delivery on {v}.", " I mean the one arriving {v}."),
                    ),
                ),
                (
                    "What's in the {box_size} box?",
                    "{box_size} box contents?",
                    "I'd like to know what vegetables are going in the {box_size} box.",
                    "what do you get in a {box_size} veg box?",
                ),
                {
                    "headline": (
                        "purple sprouting broccoli",
                        "new potatoes and chard",
                        "squash and leeks",
                    ),
                    "items": (7, 9, 12),
                },
                "The {box_size} box has {items} items, led by {headline}.",
                "list what's in a box",
                missing=(("What's in the veg box this time?", "Which box size do you mean?"),),
            ),
        ),
        cannot=(
            ("Can I pause my deliveries while I'm on holiday?", "pause deliveries"),
            ("Do you sell eggs from the farm as well?", "sell eggs or other farm produce"),
            ("Is all your veg certified organic?", "confirm organic certification"),
        ),
    ),
    # -- opticians ------------------------------------------------------------------------------
    Domain(
        "optician_fittings",
        "spectacle fittings and repairs",
        (
            Action(
                "book_frame_fitting",
                "Book an appointment to have new glasses fitted and adjusted.",
                (
                    Param(
                        "order_number",
                        "string",
                        "Spectacle order number, e.g. 'OP-448201'.",
                        code("OP-######"),
                    ),
                    Param("fitting_date", "string", "Appointment date as YYYY-MM-DD.", date),
                    Param("fitting_time", "string", "Appointment time as HH:MM.", clock),
                    Param(
                        "branch",
                        "string",
                        "Branch name; the branch that took the order if omitted.",
                        words("Ludlow", "Harrogate", "Bath Walcot Street", "Kendal"),
                        say=(" At the {v} branch.", " I'll come to {v}."),
                    ),
                ),
                (
                    "My new glasses are in - order {order_number}. Can I come for a fitting on "
                    "{fitting_date} at {fitting_time}?",
                    "fitting {order_number} {fitting_date} {fitting_time} please.",
                    "Please book a frame fitting for order {order_number} on {fitting_date}, {fitting_time}.",
                    "could i have my specs fitted at {fitting_time} on {fitting_date}? order is {order_number}",
                ),
                {
                    "appointment_ref": ("FT-2214", "FT-3067", "FT-4480"),
                    "optician": ("Mrs Okafor", "Mr Lindgren", "Ms Duarte"),
                },
                "Fitting for order {order_number} is booked on {fitting_date} at {fitting_time} "
                "with {optician}, reference {appointment_ref}.",
                "book glasses fittings",
                missing=(
                    (
                        "Book me in to have my new glasses fitted on Friday at 10:30.",
                        "What is your spectacle order number?",
                    ),
                    (
                        "Order OP-448201 is ready, can I come in for the fitting on 2026-06-03?",
                        "What time would suit you?",
                    ),
                ),
            ),
            Action(
                "log_spectacle_repair",
                "Log a pair of glasses in for repair at the workshop.",
                (
                    Param(
                        "patient_name",
                        "string",
                        "Name the glasses are registered to.",
                        words("Harriet Cole", "Dariusz Wójcik", "Siobhan Reilly", "Ahmed Karim"),
                    ),
                    Param(
                        "repair_kind",
                        "string",
                        "Kind of repair.",
                        (
                            ("hinge", "broken hinge"),
                            ("hinge", "loose hinge"),
                            ("nose pads", "nose pads"),
                            ("nose pads", "worn nose pads"),
                            ("lens replacement", "scratched lens"),
                            ("lens replacement", "cracked lens"),
                            ("frame weld", "snapped frame"),
                            ("frame weld", "broken bridge"),
                        ),
                        enum=("hinge", "nose pads", "lens replacement", "frame weld"),
                    ),
                    Param(
                        "express",
                        "boolean",
                        "Express repair, back within a day.",
                        YES,
                        say=(" I need them back fast, express please.", " Can you do it express?"),
                    ),
                ),
                (
                    "Please book in a repair for {patient_name}: {repair_kind}.",
                    "glasses repair for {patient_name}, {repair_kind}.",
                    "My glasses need fixing ({repair_kind}). The name's {patient_name}.",
                    "Could you take in {patient_name}'s glasses for repair? It's the {repair_kind}.",
                ),
                {"repair_ticket": ("RP-5102", "RP-6639", "RP-8214"), "ready_in_days": (1, 3, 7)},
                "{patient_name}'s glasses are logged for repair ({repair_kind}): "
                "ticket {repair_ticket}, ready in {ready_in_days} days.",
                "log glasses repairs",
                missing=(
                    (
                        "My glasses have a broken hinge, can you fix them?",
                        "What name are the glasses registered to?",
                    ),
                    (
                        "Please book in a repair for Siobhan Reilly's glasses.",
                        "What is wrong with the glasses?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can I book an eye test for next week?", "book eye tests"),
            ("Do you stock daily contact lenses?", "supply contact lenses"),
            ("How much would varifocals cost me?", "price new lenses"),
        ),
    ),
    # -- tennis ladder --------------------------------------------------------------------------
    Domain(
        "tennis_ladder",
        "club tennis ladder matches",
        (
            Action(
                "report_ladder_match",
                "Report the result of a ladder match between two club members.",
                (
                    Param("winner", "string", "Name of the player who won.", LADDER_PLAYER),
                    Param(
                        "loser",
                        "string",
                        "Name of the player who lost.",
                        words("Olu Adebayo", "Kasia Zielinska", "Rory Quinn", "Beatrix Lund"),
                    ),
                    Param(
                        "score",
                        "string",
                        "Score in sets, winner first, e.g. '6-4 6-3'.",
                        words("6-4 6-3", "7-5 3-6 10-8", "6-2 6-1", "6-7 6-4 6-4"),
                    ),
                    Param(
                        "played_on",
                        "string",
                        "Match date as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" We played on {v}.", " The match was on {v}."),
                    ),
                ),
                (
                    "{winner} beat {loser} {score}.",
                    "Please record a ladder result: {winner} def. {loser}, {score}.",
                    "Ladder match result - {winner} won against {loser} {score}. Can you update the ladder?",
                    "I'd like to report that {winner} won our ladder match against {loser}, score {score}.",
                ),
                {"new_rung": (2, 5, 9), "challenge_window_days": (7, 14)},
                "{winner} beat {loser} {score} and moves to rung {new_rung}; the next challenge "
                "must be played within {challenge_window_days} days.",
                "report ladder results",
                missing=(
                    ("Freya Holt beat Rory Quinn on the ladder today.", "What was the score?"),
                    (
                        "Record a ladder result: 6-3 6-4 to Marco Bellini.",
                        "Who did Marco Bellini play against?",
                    ),
                ),
            ),
            Action(
                "ladder_standing",
                "A player's current rung and recent form on the club ladder.",
                (
                    Param("player", "string", "Player's name.", LADDER_PLAYER),
                    Param(
                        "division",
                        "string",
                        "Which ladder; singles if omitted.",
                        words("singles", "doubles", "mixed"),
                        enum=("singles", "doubles", "mixed"),
                        say=(" In the {v} ladder.", " I mean the {v} ladder."),
                    ),
                    Param(
                        "as_of_month",
                        "string",
                        "Standing at the end of a month, as YYYY-MM; now if omitted.",
                        month,
                        say=(" As of {v}.", " At the end of {v}."),
                    ),
                ),
                (
                    "Where is {player} on the ladder?",
                    "ladder position {player}?",
                    "What rung is {player} on, and how have they been playing?",
                    "Could you tell me {player}'s standing on the club ladder?",
                ),
                {
                    "rung": (1, 4, 11),
                    "form": (
                        "won 3 of the last 4",
                        "lost the last two",
                        "unbeaten in five matches",
                    ),
                },
                "{player} is on rung {rung}, {form}.",
                "look up ladder standings",
                missing=(
                    ("Where am I on the tennis ladder?", "What name are you on the ladder under?"),
                    (
                        "How's my doubles partner doing on the ladder?",
                        "What is your partner's name?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Book court 3 for Saturday morning.", "book courts"),
            ("Can you restring my racket before the match?", "restring rackets"),
            ("Pay my club membership fees for the year.", "take membership payments"),
        ),
    ),
    # -- hackathon ------------------------------------------------------------------------------
    Domain(
        "hackathon_teams",
        "hackathon team registrations",
        (
            Action(
                "register_hack_team",
                "Register a team for the weekend hackathon.",
                (
                    Param(
                        "team_name",
                        "string",
                        "Team name.",
                        words(
                            "Null Pointers",
                            "Byte Club",
                            "Team Kraken",
                            "Lemon Stack",
                            "Merge Conflict",
                        ),
                    ),
                    Param(
                        "captain_email",
                        "string",
                        "Team captain's email address.",
                        words(
                            "ines.k@fastmail.eu",
                            "ola@posteo.de",
                            "j.moreau@proton.me",
                            "dev.ruth@gmx.net",
                        ),
                    ),
                    Param("members", "integer", "Number of team members, 2-6.", count(2, 6)),
                    Param(
                        "track",
                        "string",
                        "Challenge track.",
                        (
                            ("climate", "climate"),
                            ("health", "health"),
                            ("health", "healthtech"),
                            ("open", "open"),
                        ),
                        enum=("climate", "health", "open"),
                        say=(" We're entering the {v} track.", " Track: {v}."),
                    ),
                    Param(
                        "hardware_kit",
                        "boolean",
                        "Borrow a hardware kit (boards and sensors).",
                        YES,
                        say=(
                            " We'll need a hardware kit.",
                            " Can we borrow one of the hardware kits?",
                        ),
                    ),
                ),
                (
                    "Register team {team_name} for the hackathon, {members} people, captain {captain_email}.",
                    "sign up {team_name} ({members} members), contact {captain_email}.",
                    "Hi! We'd like to enter the hackathon as {team_name}. There are {members} of us "
                    "and the captain's email is {captain_email}.",
                    "Can {team_name} still register with {members} members? Captain is {captain_email}.",
                ),
                {"team_id": ("HX-0142", "HX-0388", "HX-0917"), "table_number": (4, 17, 23)},
                "{team_name} is registered as {team_id} with {members} members; your table is "
                "{table_number}.",
                "register hackathon teams",
                missing=(
                    (
                        "Register Byte Club for the hackathon, we're 4 people.",
                        "What is the captain's email address?",
                    ),
                    (
                        "Sign us up for the hackathon as Team Kraken, captain is ola@posteo.de.",
                        "How many members are on the team?",
                    ),
                ),
            ),
            Action(
                "hack_team_status",
                "Registration status and judging slot of a hackathon team, by team id.",
                (Param("team_id", "string", "Team id, e.g. 'HX-0388'.", code("HX-####")),),
                (
                    "Is {team_id} fully registered?",
                    "{team_id} status",
                    "When is {team_id} presenting to the judges?",
                    "i'd like to know whether team {team_id} is confirmed",
                ),
                {
                    "registration": (
                        "confirmed",
                        "waiting for a signed code of conduct",
                        "on the waitlist",
                    ),
                    "judging_slot": ("Sunday 14:20", "Sunday 15:05", "Sunday 16:40"),
                },
                "Team {team_id} is {registration}; judging slot {judging_slot}.",
                "check a team's registration",
                missing=(
                    ("Are we confirmed for the hackathon?", "What is your team id?"),
                    ("What time do we pitch to the judges?", "What is your team id?"),
                ),
            ),
        ),
        cannot=(
            ("Can you find us a fourth teammate who knows Rust?", "match you with teammates"),
            ("Book us a hotel near the hackathon venue.", "book accommodation"),
            ("What's the prize for the climate track?", "tell you about prizes"),
        ),
    ),
    # -- snow clearing --------------------------------------------------------------------------
    Domain(
        "snow_clearing",
        "council snow clearing requests",
        (
            Action(
                "request_snow_clearing",
                "Ask the council to plough or grit a public street.",
                (
                    Param(
                        "street",
                        "string",
                        "Street name.",
                        words(
                            "Coldharbour Lane",
                            "Moor Road",
                            "St Anne's Close",
                            "Kirkgate",
                            "Brae Street",
                        ),
                    ),
                    Param(
                        "treatment",
                        "string",
                        "What the street needs.",
                        (
                            ("plough", "plough"),
                            ("plough", "clear"),
                            ("grit", "grit"),
                            ("grit", "salt"),
                            ("plough and grit", "plough and grit"),
                            ("plough and grit", "clear and salt"),
                        ),
                        enum=("plough", "grit", "plough and grit"),
                    ),
                    Param(
                        "priority_route",
                        "boolean",
                        "The street serves a school, care home or clinic.",
                        YES,
                        say=(
                            " There's a primary school on it, so it should be a priority.",
                            " It's the only road to the care home.",
                        ),
                    ),
                    Param(
                        "depth_cm",
                        "integer",
                        "Snow depth in centimetres.",
                        count(5, 40, words=False),
                        say=(" The snow's about {v} cm deep.", " Roughly {v} cm of snow."),
                    ),
                ),
                (
                    "Can the council {treatment} {street}? It's like an ice rink.",
                    "{street} - please {treatment} it.",
                    "I'd like to ask for someone to {treatment} {street}.",
                    "Could you {treatment} {street} before the school run?",
                ),
                {
                    "request_no": ("SN-77120", "SN-80431", "SN-91206"),
                    "eta": ("within 12 hours", "within 24 hours", "on the next gritting run"),
                },
                "Request {request_no} to {treatment} {street} is logged; expected {eta}.",
                "request snow clearing",
                missing=(
                    (
                        "Can you send a gritter out? The roads round here are lethal.",
                        "Which street needs treating?",
                    ),
                    (
                        "Please do something about the snow on Kirkgate.",
                        "Should it be ploughed, gritted, or both?",
                    ),
                ),
            ),
            Action(
                "gritting_route_status",
                "When a gritting route was last treated and its next run, by route code.",
                (
                    Param(
                        "route_code",
                        "string",
                        "Gritting route code, e.g. 'GR-14B'.",
                        code("GR-##@"),
                    ),
                    Param(
                        "include_footpaths",
                        "boolean",
                        "Also report the footpaths on the route.",
                        YES,
                        say=(" Include the footpaths as well.", " And the pavements too, please."),
                    ),
                ),
                (
                    "When was gritting route {route_code} last done?",
                    "{route_code} gritted?",
                    "Has {route_code} been salted yet? I've got to drive to work at six.",
                    "i'd like to know whether route {route_code} has been treated.",
                ),
                {
                    "last_treated": ("05:40", "21:15", "13:30"),
                    "next_run": ("18:00", "04:30", "tomorrow at 05:00"),
                },
                "Route {route_code} was last treated at {last_treated}; next run {next_run}.",
                "check a gritting route",
                missing=(
                    (
                        "Has my road's gritting route been done yet?",
                        "What is the gritting route code?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can someone clear the snow off my drive?", "clear private driveways"),
            ("Deliver a grit bin to our street.", "supply grit bins"),
            ("Are the schools shut tomorrow because of the snow?", "report school closures"),
        ),
    ),
    # -- dive shop fills ------------------------------------------------------------------------
    Domain(
        "scuba_air_fills",
        "dive shop air and nitrox fills",
        (
            Action(
                "order_tank_fill",
                "Order cylinder fills at the dive shop for collection.",
                (
                    Param("tanks", "integer", "Number of cylinders to fill.", count(2, 6)),
                    Param(
                        "gas",
                        "string",
                        "Gas mix.",
                        (
                            ("air", "air"),
                            ("air", "plain air"),
                            ("nitrox 32", "nitrox 32"),
                            ("nitrox 32", "EAN32"),
                            ("nitrox 36", "nitrox 36"),
                            ("nitrox 36", "EAN36"),
                        ),
                        enum=("air", "nitrox 32", "nitrox 36"),
                    ),
                    Param("collect_date", "string", "Collection date as YYYY-MM-DD.", date),
                    Param(
                        "pressure_bar",
                        "integer",
                        "Fill pressure in bar; 232 if omitted.",
                        ((200, "200"), (232, "232"), (300, "300")),
                        say=(" Fill to {v} bar.", " They're {v} bar cylinders."),
                    ),
                ),
                (
                    "{tanks} tanks {gas}, collecting {collect_date}.",
                    "Could you fill {tanks} cylinders with {gas} for {collect_date}?",
                    "We're diving the Farnes at the weekend - need {tanks} tanks of {gas} ready on "
                    "{collect_date}.",
                    "fill {tanks} x {gas} for {collect_date} please.",
                ),
                {"fill_ticket": ("AF-1120", "AF-2284", "AF-3907"), "price_eur": (16, 24, 42)},
                "{tanks} tanks of {gas} will be ready on {collect_date}: ticket {fill_ticket}, "
                "{price_eur} EUR.",
                "order cylinder fills",
                missing=(
                    (
                        "Can you fill 3 tanks with nitrox 32 for me?",
                        "Which day will you collect them?",
                    ),
                    (
                        "I need some cylinders filled with air for 2026-07-18.",
                        "How many tanks need filling?",
                    ),
                ),
            ),
            Action(
                "check_cylinder_test",
                "Whether a cylinder is in test and can be filled, by cylinder serial.",
                (
                    Param(
                        "cylinder_serial",
                        "string",
                        "Cylinder serial as stamped, e.g. 'CY-20481'.",
                        code("CY-#####"),
                    ),
                ),
                (
                    "Is cylinder {cylinder_serial} in test?",
                    "{cylinder_serial} test date",
                    "Can you still fill {cylinder_serial}? Not sure when it was last inspected.",
                    "i'd like to know when tank {cylinder_serial} is due its hydro test",
                ),
                {
                    "status": ("in test", "out of test, so fills are refused"),
                    "next_due": ("2026-09", "2027-03", "2028-01"),
                },
                "Cylinder {cylinder_serial} is {status}; next hydro test due {next_due}.",
                "check a cylinder's test date",
                missing=(("Is my cylinder in test?", "What is the cylinder's serial number?"),),
            ),
        ),
        cannot=(
            ("Can you service my regulator before Saturday?", "service regulators"),
            ("Book me on the Open Water course.", "book dive courses"),
            ("Rent me a 7mm wetsuit for the weekend.", "rent out dive gear"),
        ),
    ),
    # -- chimney sweeps -------------------------------------------------------------------------
    Domain(
        "chimney_sweeps",
        "chimney sweep visits",
        (
            Action(
                "book_chimney_sweep",
                "Book a chimney sweep visit to a property.",
                (
                    Param(
                        "address",
                        "string",
                        "Property address.",
                        words(
                            "12 Mill Street, Hebden Bridge",
                            "Rose Cottage, Much Wenlock",
                            "4 Quarry Row, Kendal",
                            "The Old Forge, Lavenham",
                        ),
                    ),
                    Param("sweep_date", "string", "Visit date as YYYY-MM-DD.", date),
                    Param(
                        "appliance",
                        "string",
                        "What the flue serves.",
                        (
                            ("open fire", "open fire"),
                            ("open fire", "open fireplace"),
                            ("wood burner", "wood burner"),
                            ("wood burner", "log burner"),
                            ("range cooker", "range cooker"),
                            ("range cooker", "Aga"),
                        ),
                        enum=("open fire", "wood burner", "range cooker"),
                    ),
                    Param(
                        "certificate",
                        "boolean",
                        "Issue a sweeping certificate for insurance.",
                        YES,
                        say=(
                            " I'll need a certificate for the insurance.",
                            " Please bring a sweep certificate.",
                        ),
                    ),
                ),
                (
                    "Can a sweep come to {address} on {sweep_date} for the {appliance}?",
                    "sweep {appliance} at {address}, {sweep_date}.",
                    "We've not used the {appliance} since last winter. Could you book a sweep at "
                    "{address} for {sweep_date}?",
                    "Please book a chimney sweep: {address}, {sweep_date}, {appliance}.",
                ),
                {
                    "sweep": ("Tom Ashworth", "Jess Pryce", "Ben Haworth"),
                    "arrival": ("08:00-10:00", "12:00-14:00"),
                    "price_gbp": (65, 80, 110),
                },
                "{sweep} will sweep the {appliance} at {address} on {sweep_date}, arriving "
                "{arrival}; {price_gbp} GBP.",
                "book chimney sweeps",
                missing=(
                    (
                        "Book a chimney sweep for our wood burner on 2026-10-12.",
                        "What is the address?",
                    ),
                    (
                        "Can you sweep the open fire at The Old Forge, Lavenham?",
                        "Which date would suit you?",
                    ),
                ),
            ),
            Action(
                "sweep_certificate_lookup",
                "Date and flue condition on a sweeping certificate, by certificate number.",
                (
                    Param(
                        "certificate_no",
                        "string",
                        "Sweeping certificate number, e.g. 'CS-40712'.",
                        code("CS-#####"),
                    ),
                ),
                (
                    "What did certificate {certificate_no} say about the flue?",
                    "{certificate_no} - when was it swept?",
                    "My insurer wants proof of sweeping. Can you look up certificate {certificate_no}?",
                    "look up sweep cert {certificate_no}",
                ),
                {
                    "swept_on": ("2025-10-03", "2025-11-19", "2024-12-08"),
                    "flue_condition": (
                        "clear",
                        "light soot, fine to use",
                        "cracked liner, do not use",
                    ),
                },
                "Certificate {certificate_no}: swept on {swept_on}; flue condition: {flue_condition}.",
                "look up sweeping certificates",
                missing=(
                    (
                        "Can you look up my chimney sweep certificate?",
                        "What is the certificate number?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you fit a bird guard on my chimney pot?", "fit chimney cowls or bird guards"),
            ("Please deliver a load of seasoned logs.", "deliver firewood"),
            ("Is my chimney stack safe? The pointing's crumbling.", "survey chimney stacks"),
        ),
    ),
    # -- quilting guild -------------------------------------------------------------------------
    Domain(
        "quilting_guild",
        "quilting guild pattern library",
        (
            Action(
                "borrow_quilt_pattern",
                "Borrow a pattern from the guild's pattern library.",
                (
                    Param(
                        "pattern",
                        "string",
                        "Pattern name as catalogued.",
                        words(
                            "Log Cabin",
                            "Flying Geese",
                            "Grandmother's Flower Garden",
                            "Drunkard's Path",
                            "Ohio Star",
                        ),
                    ),
                    Param(
                        "member_no",
                        "string",
                        "Guild membership number, e.g. 'QG-214'.",
                        code("QG-###"),
                    ),
                    Param(
                        "weeks",
                        "integer",
                        "Loan length in weeks; 3 if omitted.",
                        count(2, 6),
                        say=(" For {v} weeks.", " I'd like to keep it {v} weeks."),
                    ),
                    Param(
                        "by_post",
                        "boolean",
                        "Post the pattern to the member's address.",
                        YES,
                        say=(" Could you post it to me?", " Please send it by post."),
                    ),
                ),
                (
                    "I'd like to borrow the {pattern} pattern, member {member_no}.",
                    "borrow {pattern} - {member_no}.",
                    "Is it possible to take out {pattern} from the pattern library? My number's {member_no}.",
                    "{member_no} here, please lend me {pattern} for {weeks} weeks.",
                ),
                {
                    "loan_ref": ("PL-2207", "PL-3145", "PL-4410"),
                    "due_back": ("2026-05-02", "2026-06-13", "2026-07-25"),
                },
                "{pattern} is lent to {member_no} under loan {loan_ref}, due back {due_back}.",
                "lend patterns",
                missing=(
                    (
                        "Can I borrow the Ohio Star pattern?",
                        "What is your guild membership number?",
                    ),
                    (
                        "Member QG-214 - I'd like to borrow a pattern, please.",
                        "Which pattern would you like?",
                    ),
                ),
            ),
            Action(
                "find_quilt_patterns",
                "Search the pattern library by skill level and technique.",
                (
                    Param(
                        "skill",
                        "string",
                        "Skill level.",
                        (
                            ("beginner", "beginner"),
                            ("beginner", "beginner-level"),
                            ("intermediate", "intermediate"),
                            ("intermediate", "intermediate-level"),
                            ("advanced", "advanced"),
                            ("advanced", "advanced-level"),
                        ),
                        enum=("beginner", "intermediate", "advanced"),
                    ),
                    Param(
                        "technique",
                        "string",
                        "Construction technique.",
                        words("piecing", "appliqué", "foundation paper piecing"),
                        enum=("piecing", "appliqué", "foundation paper piecing"),
                        say=(" Preferably {v}.", " Something using {v}."),
                    ),
                    Param(
                        "on_shelf_only",
                        "boolean",
                        "Only patterns not out on loan.",
                        YES,
                        say=(" Only ones on the shelf now.", " Just the ones not out on loan."),
                    ),
                ),
                (
                    "Do you have any {skill} patterns?",
                    "{skill} quilt patterns?",
                    "I'm making a cot quilt for my granddaughter. Which {skill} patterns does the library have?",
                    "list the {skill} patterns please.",
                ),
                {"matches": (3, 8, 15), "pick": ("Log Cabin", "Churn Dash", "Storm at Sea")},
                "The library has {matches} {skill} patterns; the members' favourite is {pick}.",
                "search the pattern library",
                missing=(
                    (
                        "What quilt patterns does the guild library have?",
                        "Which skill level are you after?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can I book a place on the hand-quilting workshop?", "book workshops"),
            ("Could someone long-arm quilt my top for me?", "take long-arm quilting commissions"),
            ("Where can I buy Kaffe Fassett fabric?", "sell fabric"),
        ),
    ),
    # -- septic tanks ---------------------------------------------------------------------------
    Domain(
        "septic_emptying",
        "septic tank emptying",
        (
            Action(
                "book_septic_empty",
                "Book a tanker to empty a septic tank.",
                (
                    PROPERTY,
                    Param("empty_date", "string", "Emptying date as YYYY-MM-DD.", date),
                    Param("tank_m3", "number", "Tank capacity in cubic metres.", decimal(2.0, 9.0)),
                    Param(
                        "hose_metres",
                        "integer",
                        "Distance from where the tanker parks to the tank, in metres.",
                        count(10, 60, words=False),
                        say=(
                            " The tank is about {v} m from the road.",
                            " You'll need {v} metres of hose.",
                        ),
                    ),
                ),
                (
                    "Please book a septic tank empty at {property} on {empty_date}; it's a "
                    "{tank_m3} cubic metre tank.",
                    "septic empty {property} {empty_date}, {tank_m3} m3.",
                    "The tank's backing up again. Can you send a tanker to {property} on "
                    "{empty_date}? Capacity {tank_m3} cubic metres.",
                    "Could we get the septic tank at {property} emptied on {empty_date}? It holds {tank_m3} m3.",
                ),
                {"job_ref": ("ST-6021", "ST-7348", "ST-8893"), "price_gbp": (185, 240, 310)},
                "The {tank_m3} m3 tank at {property} will be emptied on {empty_date}: job {job_ref}, "
                "{price_gbp} GBP.",
                "book septic tank emptying",
                missing=(
                    (
                        "Book a septic tank empty at Low Garth, it's a 4 cubic metre tank.",
                        "Which date would you like it emptied?",
                    ),
                    (
                        "Can you empty our septic tank on 2026-03-20? It holds 3.5 m3.",
                        "What is the property's name or address?",
                    ),
                ),
            ),
            Action(
                "septic_service_history",
                "When a property's septic tank was last emptied and how often it should be.",
                (
                    PROPERTY,
                    Param(
                        "year",
                        "integer",
                        "Only visits in this year.",
                        ((2024, "2024"), (2025, "2025"), (2026, "2026")),
                        say=(" Just for {v}.", " Only the {v} visits."),
                    ),
                ),
                (
                    "When was the tank at {property} last emptied?",
                    "{property} septic history?",
                    "I've just bought {property} - I'd like to know when the septic tank was last done.",
                    "how often should the tank at {property} be emptied?",
                ),
                {
                    "last_emptied": ("2025-04-11", "2024-09-02", "2023-11-27"),
                    "interval_months": (12, 18, 24),
                },
                "The tank at {property} was last emptied on {last_emptied}; it should be emptied "
                "every {interval_months} months.",
                "look up emptying history",
                missing=(("When was our septic tank last emptied?", "Which property is it?"),),
            ),
        ),
        cannot=(
            (
                "Our soakaway is flooding the garden - can you dig a new one?",
                "install or repair soakaways",
            ),
            ("Can you do a drainage survey for the house sale?", "carry out drainage surveys"),
            ("Fit a treatment plant to replace my old tank.", "install treatment plants"),
        ),
    ),
]
