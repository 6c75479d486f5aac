"""Hand-written services (see ``assistant/distill/written/__init__.py``): set D."""

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
PARK = Param(
    "park", "string", "Park or playing field name.",
    words("Hartley Park", "Victoria Recreation Ground", "Stanmore Fields", "Kelvin Way Playing Fields"),
)  # fmt: skip
LANGUAGES = ("English", "Spanish", "German", "French", "Polish", "Italian")
WATER = Param(
    "water", "string", "Name of the river beat, loch or reservoir.",
    words("River Wharfe", "Loch Awe", "Grafham Water", "River Tay beat 3", "Llyn Brenig"),
)  # fmt: skip
LASER_JOB = Param("job_ref", "string", "Laser job reference, e.g. 'LC-1042'.", code("LC-####"))
COSTUME = Param(
    "costume", "string", "Costume name as in the hire catalogue.",
    words("Victorian gentleman", "flapper dress", "Roman centurion", "Tudor queen",
          "pirate captain", "1970s disco suit"),
)  # fmt: skip
ROOM = Param(
    "room", "string", "Escape room name.",
    words("The Lost Pharaoh", "Submarine 1943", "Asylum Ward B", "The Clockmaker's Study"),
)  # fmt: skip
PLAY_DATE = Param("play_date", "string", "Date to play as YYYY-MM-DD.", date)
TOWER = Param(
    "tower", "string", "Church tower, as listed in the ringing guild directory.",
    words("St Michael's, Coxwold", "All Saints, Hertford", "St Peter Mancroft", "Exeter Cathedral"),
)  # fmt: skip

DOMAINS: list[Domain] = [
    # -- sports pitches -------------------------------------------------------------------------
    Domain(
        "sports_pitches",
        "sports pitch bookings",
        (
            Action(
                "book_sports_pitch",
                "Book a council football pitch at a park for a date and kick-off time.",
                (
                    Param(
                        "pitch_size",
                        "string",
                        "Pitch size.",
                        (
                            ("five-a-side", "a five-a-side pitch"),
                            ("five-a-side", "a 5-a-side pitch"),
                            ("seven-a-side", "a 7-a-side pitch"),
                            ("seven-a-side", "a seven-a-side pitch"),
                            ("full-size", "a full-size pitch"),
                            ("full-size", "a full pitch"),
                        ),
                        enum=("five-a-side", "seven-a-side", "full-size"),
                    ),
                    PARK,
                    Param("match_date", "string", "Match date as YYYY-MM-DD.", date),
                    Param("kick_off", "string", "Kick-off time as HH:MM.", clock),
                    Param(
                        "floodlights",
                        "boolean",
                        "Switch the floodlights on for the booking.",
                        YES,
                        say=(" We'll need the floodlights on.", " Floodlights, please."),
                    ),
                ),
                (
                    "Book {pitch_size} at {park} on {match_date}, kick-off {kick_off}.",
                    "pitch at {park}: {pitch_size}, {match_date}, {kick_off}",
                    "Is it possible to get {pitch_size} at {park} for {match_date}? We'd kick off at {kick_off}.",
                    "our works team needs {pitch_size} at {park} on {match_date} from {kick_off}",
                ),
                {"booking_ref": ("SP-4410", "SP-5873", "SP-6029"), "fee_gbp": (32, 48.5, 75)},
                "The {pitch_size} pitch at {park} is booked for {match_date}, kick-off {kick_off}: "
                "reference {booking_ref}, £{fee_gbp}.",
                "book sports pitches",
                missing=(
                    (
                        "Book a 5-a-side pitch at Hartley Park for 2027-03-06.",
                        "What time would you like to kick off?",
                    ),
                    (
                        "Can we get a full-size pitch on the 12th of April 2027 at 10:00?",
                        "Which park would you like the pitch at?",
                    ),
                ),
            ),
            Action(
                "pitch_playability",
                "Whether a park's pitches are playable after the groundsman's weather check.",
                (
                    PARK,
                    Param(
                        "on_date",
                        "string",
                        "Date to check as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" For {v}.", " We're due to play on {v}."),
                    ),
                ),
                (
                    "Are the pitches at {park} playable?",
                    "{park} - waterlogged or not?",
                    "I'd like to know whether {park} is fit to play on after all this rain.",
                    "pitch status at {park}",
                ),
                {
                    "status": ("playable", "closed as waterlogged", "awaiting a 9am inspection"),
                    "ground": ("firm", "soft", "heavy"),
                },
                "Pitches at {park}: {status}, ground {ground}.",
                "check whether pitches are playable",
                missing=(
                    (
                        "Are the football pitches playable this weekend?",
                        "Which park's pitches do you mean?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you send a referee for our match on Saturday?", "provide referees"),
            ("Mark out the pitch for rugby instead of football.", "change pitch markings"),
            ("Refund our booking, the game got called off.", "refund pitch bookings"),
        ),
    ),
    # -- language exchange ----------------------------------------------------------------------
    Domain(
        "language_exchange",
        "language exchange partner matching",
        (
            Action(
                "request_exchange_partner",
                "Ask to be matched with a partner who speaks the language you want to practise.",
                (
                    Param(
                        "member_name",
                        "string",
                        "Full name of the member.",
                        words(
                            "Sofia Reyes",
                            "Lukas Becker",
                            "Aoife Brennan",
                            "Tomasz Nowak",
                            "Camille Durand",
                        ),
                    ),
                    Param(
                        "offered_language",
                        "string",
                        "Language the member speaks and can help with.",
                        words(*LANGUAGES),
                        enum=LANGUAGES,
                    ),
                    Param(
                        "wanted_language",
                        "string",
                        "Language the member wants to practise.",
                        words(*LANGUAGES),
                        enum=LANGUAGES,
                    ),
                    Param(
                        "level",
                        "string",
                        "The member's level in the wanted language.",
                        words("beginner", "intermediate", "advanced"),
                        enum=("beginner", "intermediate", "advanced"),
                        say=(" My level is {v}.", " I'd say I'm {v}."),
                    ),
                    Param(
                        "online_only",
                        "boolean",
                        "Only match partners who meet by video call.",
                        YES,
                        say=(" Online only, please.", " I can only do video calls."),
                    ),
                ),
                (
                    "I'm {member_name}; I speak {offered_language} and I'd like to practise {wanted_language}.",
                    "Find {member_name} a {wanted_language} partner - can offer {offered_language} in return.",
                    "language swap: {member_name}, {offered_language} for {wanted_language}",
                    "Could you match me with someone learning {offered_language} who speaks "
                    "{wanted_language}? Name's {member_name}.",
                ),
                {"match_ref": ("LX-2207", "LX-3815", "LX-9046"), "candidates": (1, 4, 9)},
                "{member_name} is on the list for {wanted_language} in exchange for {offered_language}: "
                "request {match_ref}, {candidates} possible partners so far.",
                "request exchange partners",
                missing=(
                    (
                        "I'd like a Spanish exchange partner, I can help with English.",
                        "What name should the request be under?",
                    ),
                    (
                        "Please match Lukas Becker with an exchange partner, he speaks German.",
                        "Which language does he want to practise?",
                    ),
                ),
            ),
            Action(
                "exchange_match_status",
                "Status of a partner-matching request, by request reference.",
                (
                    Param(
                        "match_ref", "string", "Request reference, e.g. 'LX-2207'.", code("LX-####")
                    ),
                ),
                (
                    "Have I been matched yet? Request {match_ref}.",
                    "{match_ref} status",
                    "Any luck finding a partner for {match_ref}?",
                    "I'd like to know whether request {match_ref} has a partner yet",
                ),
                {
                    "state": (
                        "matched with a partner in Bilbao",
                        "still searching",
                        "waiting for your reply to a match in Leipzig",
                    )
                },
                "Request {match_ref}: {state}.",
                "check a matching request",
                missing=(
                    (
                        "Has my language exchange match come through?",
                        "What is your request reference?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you correct my Spanish essay before Friday?", "correct written work"),
            ("Sign me up for the Thursday conversation café.", "book conversation events"),
            ("Translate this letter into German for me.", "translate documents"),
        ),
    ),
    # -- fishing permits ------------------------------------------------------------------------
    Domain(
        "fishing_permits",
        "angling permits",
        (
            Action(
                "buy_angling_permit",
                "Buy a day, week or season angling permit for a water.",
                (
                    WATER,
                    Param(
                        "permit",
                        "string",
                        "Permit length.",
                        (
                            ("day", "a day ticket"),
                            ("day", "a day permit"),
                            ("week", "a week permit"),
                            ("week", "a weekly ticket"),
                            ("season", "a season permit"),
                        ),
                        enum=("day", "week", "season"),
                    ),
                    Param("start_date", "string", "First day of the permit as YYYY-MM-DD.", date),
                    Param(
                        "rods",
                        "integer",
                        "Number of rods, 1-3; default 1.",
                        count(2, 3),
                        say=(" I'll be fishing {v} rods.", " It's for {v} rods."),
                    ),
                    Param(
                        "concession",
                        "boolean",
                        "Charge the junior or over-65 concession rate.",
                        YES,
                        say=(
                            " I'm over 65, so the concession rate please.",
                            " Concession rate - it's for a junior.",
                        ),
                    ),
                ),
                (
                    "I'd like {permit} for {water} starting {start_date}.",
                    "{permit} {water} from {start_date}",
                    "Can I get {permit} to fish {water}? From {start_date}.",
                    "heading to {water} on {start_date}, need {permit}",
                ),
                {
                    "permit_no": ("AP-30417", "AP-51288", "AP-77903"),
                    "price_gbp": (12, 35, 140),
                },
                "Permit {permit_no} covers {water} from {start_date}; £{price_gbp} paid.",
                "sell angling permits",
                missing=(
                    (
                        "I need a day ticket for the River Wharfe.",
                        "From which date should the permit start?",
                    ),
                    (
                        "Buy me a season permit starting 2027-03-15.",
                        "Which water do you want to fish?",
                    ),
                ),
            ),
            Action(
                "angling_permit_validity",
                "Whether an angling permit is valid and its daily bag limit, by permit number.",
                (
                    Param(
                        "permit_no", "string", "Permit number, e.g. 'AP-30417'.", code("AP-#####")
                    ),
                    Param(
                        "species",
                        "string",
                        "Species for the bag limit; all species if omitted.",
                        words("trout", "salmon", "pike", "grayling"),
                        enum=("trout", "salmon", "pike", "grayling"),
                        say=(" I'm after {v}.", " The limit for {v}, please."),
                    ),
                ),
                (
                    "Is permit {permit_no} still valid?",
                    "{permit_no} - can I still fish on it?",
                    "what's my bag limit on {permit_no}",
                    "Could you check permit {permit_no} before I head out?",
                ),
                {"validity": ("valid", "expired", "suspended"), "bag_limit": (0, 2, 4)},
                "Permit {permit_no} is {validity}; the bag limit is {bag_limit} fish a day.",
                "check a permit's validity",
                missing=(("Is my fishing permit still valid?", "What is the permit number?"),),
            ),
        ),
        cannot=(
            ("Where are the fish biting on Loch Awe today?", "report where fish are feeding"),
            ("Can I hire a boat on Grafham Water on Sunday?", "hire boats"),
            ("Transfer my season permit to my brother.", "transfer permits to someone else"),
        ),
    ),
    # -- laser cutter ---------------------------------------------------------------------------
    Domain(
        "laser_cutter",
        "makerspace laser cutter jobs",
        (
            Action(
                "queue_laser_job",
                "Add a design file to the makerspace laser cutter queue.",
                (
                    Param(
                        "member_no",
                        "string",
                        "Makerspace member number, e.g. 'MK-204'.",
                        code("MK-###"),
                    ),
                    Param(
                        "design_file",
                        "string",
                        "SVG or DXF file name.",
                        words(
                            "coaster_set.svg",
                            "box_joint_v2.dxf",
                            "sign_plate.svg",
                            "gear_train.dxf",
                            "lamp_shade_panels.svg",
                        ),
                    ),
                    Param(
                        "material",
                        "string",
                        "Sheet material.",
                        (
                            ("plywood", "plywood"),
                            ("plywood", "birch ply"),
                            ("acrylic", "acrylic"),
                            ("acrylic", "clear acrylic"),
                            ("MDF", "MDF"),
                            ("card", "card"),
                        ),
                        enum=("plywood", "acrylic", "MDF", "card"),
                    ),
                    Param(
                        "thickness_mm",
                        "number",
                        "Sheet thickness in millimetres; 3 if omitted.",
                        decimal(1.5, 6.0, 1),
                        say=(" It's {v} mm thick.", " Sheet thickness {v} mm."),
                    ),
                    Param(
                        "engrave_only",
                        "boolean",
                        "Engrave the surface without cutting through.",
                        YES,
                        say=(" Engrave only, no cutting through.", " Just engraving, please."),
                    ),
                ),
                (
                    "Queue {design_file} on the laser in {material}, member {member_no}.",
                    "laser job: {design_file}, {material}, {member_no}",
                    "Hi, I'm member {member_no}. Could you put {design_file} in the laser queue? "
                    "It's going on {material}.",
                    "{member_no} wants to cut {design_file} from {material}",
                ),
                {
                    "job_ref": ("LC-1042", "LC-2218", "LC-3907"),
                    "queue_position": (1, 3, 6),
                    "est_minutes": (12, 25, 40),
                },
                "{design_file} is queued as job {job_ref}, position {queue_position}, "
                "with about {est_minutes} minutes on the laser.",
                "queue laser cutter jobs",
                missing=(
                    (
                        "Put coaster_set.svg in the laser queue, it's birch ply.",
                        "What is your member number?",
                    ),
                    (
                        "Member MK-204 here, please queue a job in acrylic.",
                        "Which design file should be cut?",
                    ),
                ),
            ),
            Action(
                "laser_job_progress",
                "Progress of a laser cutter job, by job reference.",
                (LASER_JOB,),
                (
                    "Has job {job_ref} been cut yet?",
                    "{job_ref} done?",
                    "where is {job_ref} in the laser queue",
                    "Can you tell me how my laser job {job_ref} is getting on?",
                ),
                {"state": ("waiting", "cutting now", "finished and on the collection rack")},
                "Job {job_ref} is {state}.",
                "check a job's progress",
                missing=(("Is my laser cutting job finished?", "What is the job reference?"),),
            ),
        ),
        cannot=(
            ("Can the laser cut 10mm steel plate?", "cut metal"),
            ("Book me onto the laser cutter induction.", "book inductions"),
            ("Renew my makerspace membership for the year.", "renew memberships"),
        ),
    ),
    # -- costume hire ---------------------------------------------------------------------------
    Domain(
        "costume_hire",
        "costume hire",
        (
            Action(
                "reserve_costume",
                "Reserve a costume from the hire shop for an event date.",
                (
                    COSTUME,
                    Param(
                        "size",
                        "string",
                        "Costume size.",
                        (
                            ("S", "small"),
                            ("M", "medium"),
                            ("M", "size M"),
                            ("L", "large"),
                            ("L", "size L"),
                            ("XL", "extra large"),
                        ),
                        enum=("S", "M", "L", "XL"),
                    ),
                    Param(
                        "event_date", "string", "Date the costume is needed, as YYYY-MM-DD.", date
                    ),
                    Param(
                        "hire_days",
                        "integer",
                        "Length of hire in days; default 2.",
                        count(3, 7),
                        say=(" For {v} days.", " We'll need it for {v} days."),
                    ),
                    Param(
                        "with_wig",
                        "boolean",
                        "Include the matching wig.",
                        YES,
                        say=(" Include a wig, please.", " With the matching wig."),
                    ),
                ),
                (
                    "I'd like to reserve the {costume} costume in {size} for {event_date}.",
                    "{costume}, {size}, {event_date}",
                    "Do you have a {costume} outfit in {size} I could hire for a party on {event_date}?",
                    "hire me the {costume} costume, {size}, needed {event_date}",
                ),
                {"hire_ref": ("CH-7041", "CH-8150", "CH-9326"), "deposit_gbp": (20, 40, 60)},
                "The {costume} costume is reserved for {event_date}: hire {hire_ref}, "
                "deposit £{deposit_gbp}.",
                "reserve costumes",
                missing=(
                    (
                        "Can I hire the Roman centurion costume in large?",
                        "Which date do you need it for?",
                    ),
                    (
                        "Reserve a costume in medium for 2026-10-31, please.",
                        "Which costume would you like?",
                    ),
                ),
            ),
            Action(
                "costume_sizes_free",
                "Which sizes of a costume are free to hire on a date.",
                (COSTUME, Param("on_date", "string", "Date as YYYY-MM-DD.", date)),
                (
                    "What sizes are left in the {costume} costume for {on_date}?",
                    "{costume} {on_date} sizes?",
                    "I'd like to know whether the {costume} is free on {on_date}, and in what sizes.",
                    "is there a {costume} costume available on {on_date}",
                ),
                {"sizes_free": ("S and M", "M, L and XL", "none")},
                "Sizes free in the {costume} costume on {on_date}: {sizes_free}.",
                "check which sizes are free",
                missing=(
                    (
                        "What sizes do you have left in the Tudor queen costume?",
                        "Which date do you need it for?",
                    ),
                    ("Which sizes are free on 2026-12-19?", "Which costume do you mean?"),
                ),
            ),
        ),
        cannot=(
            ("Can you take the trousers up an inch for me?", "alter costumes"),
            ("Do you sell face paint and fake blood?", "sell make-up"),
            ("I want to buy the pirate captain costume outright.", "sell costumes"),
        ),
    ),
    # -- escape rooms ---------------------------------------------------------------------------
    Domain(
        "escape_rooms",
        "escape room bookings",
        (
            Action(
                "book_escape_room",
                "Book an escape room game for a team at a start time.",
                (
                    ROOM,
                    PLAY_DATE,
                    Param("start_time", "string", "Start time as HH:MM.", clock),
                    Param("players", "integer", "Number of players, 2-8.", count(2, 8)),
                    Param(
                        "hints",
                        "string",
                        "How much help the game master gives.",
                        (
                            ("none", "no hints"),
                            ("few", "just a few hints"),
                            ("many", "plenty of hints"),
                        ),
                        enum=("none", "few", "many"),
                        say=(" And {v}, please.", " We'd like {v}."),
                    ),
                ),
                (
                    "Book {room} for {players} players on {play_date} at {start_time}.",
                    "escape room {room} {play_date} {start_time} {players} people",
                    "Could we do {room} on {play_date}? There'll be {players} of us, starting {start_time}.",
                    "{players} of us want to try {room} - {play_date}, {start_time} slot",
                ),
                {"booking_ref": ("ER-3102", "ER-4489", "ER-6075"), "total_eur": (72, 110, 168)},
                "{room} is booked for {players} players on {play_date} at {start_time}: "
                "booking {booking_ref}, {total_eur} EUR.",
                "book escape rooms",
                missing=(
                    (
                        "Book The Lost Pharaoh for 5 of us on 2027-01-23.",
                        "What start time would you like?",
                    ),
                    (
                        "We'd like an escape room at 19:30 on the 4th of March 2027, six players.",
                        "Which room would you like to play?",
                    ),
                ),
            ),
            Action(
                "escape_room_free_slots",
                "Free start times for an escape room on a date.",
                (
                    ROOM,
                    PLAY_DATE,
                    Param(
                        "players",
                        "integer",
                        "Team size, to check the room fits; any if omitted.",
                        count(2, 8),
                        say=(" We'd be {v} players.", " There are {v} of us."),
                    ),
                ),
                (
                    "What times are free for {room} on {play_date}?",
                    "{room} availability {play_date}",
                    "I'd like to know whether {room} has any slots left on {play_date}.",
                    "when can we play {room} on {play_date}",
                ),
                {"free_slots": ("10:00 and 14:30", "18:00 only", "none")},
                "{room} on {play_date}: free slots {free_slots}.",
                "list free slots",
                missing=(
                    ("What slots does Submarine 1943 have free?", "Which date are you looking at?"),
                    ("Any escape room slots left on 2027-02-13?", "Which room do you mean?"),
                ),
            ),
        ),
        cannot=(
            ("What's the answer to the padlock in Asylum Ward B?", "give puzzle solutions"),
            ("Can you lay on pizza for us after the game?", "arrange food and drink"),
            ("Build us a custom room for a corporate event.", "design custom rooms"),
        ),
    ),
    # -- horse livery ---------------------------------------------------------------------------
    Domain(
        "horse_livery",
        "horse livery yard services",
        (
            Action(
                "request_livery_service",
                "Ask the yard staff to do a service for a horse on a date.",
                (
                    Param(
                        "horse",
                        "string",
                        "The horse's stable name.",
                        words("Bramble", "Duke", "Misty", "Jasper", "Tilly"),
                    ),
                    Param(
                        "service",
                        "string",
                        "Yard service.",
                        (
                            ("turnout", "turnout"),
                            ("turnout", "turning out"),
                            ("bringing in", "bringing in"),
                            ("rug change", "a rug change"),
                            ("mucking out", "mucking out"),
                        ),
                        enum=("turnout", "bringing in", "rug change", "mucking out"),
                    ),
                    Param("service_date", "string", "Date as YYYY-MM-DD.", date),
                    Param(
                        "time_of_day",
                        "string",
                        "Morning or evening round.",
                        words("morning", "evening"),
                        enum=("morning", "evening"),
                        say=(" Preferably in the {v}.", " On the {v} round."),
                    ),
                    Param(
                        "extra_feed",
                        "boolean",
                        "Give an extra hard feed at the same visit.",
                        YES,
                        say=(" And an extra feed, please.", " Could they give a feed too?"),
                    ),
                ),
                (
                    "{horse} needs {service} on {service_date}.",
                    "{service} for {horse}, {service_date}",
                    "Could you book {service} for {horse} on {service_date}, please?",
                    "I'm away on {service_date} - can the yard handle {service} for {horse}?",
                ),
                {
                    "task_ref": ("LV-5120", "LV-6631", "LV-8004"),
                    "groom": ("Hannah", "Callum", "Rhiannon"),
                    "charge_gbp": (6, 8.5, 12),
                },
                "Task {task_ref}: {groom} will do the {service} for {horse} on {service_date}, "
                "£{charge_gbp}.",
                "request yard services",
                missing=(
                    ("Misty needs a rug change, please.", "Which day should it be done?"),
                    ("Book mucking out for 2026-11-14.", "Which horse is it for?"),
                ),
            ),
            Action(
                "livery_bill_balance",
                "Outstanding livery bill on an owner's account, by account number.",
                (
                    Param(
                        "account_no",
                        "string",
                        "Livery account number, e.g. 'HL-118'.",
                        code("HL-###"),
                    ),
                    Param(
                        "month",
                        "string",
                        "Billing month as YYYY-MM; the current month if omitted.",
                        month,
                        say=(" For {v}.", " Just the {v} bill."),
                    ),
                ),
                (
                    "What do I owe on livery account {account_no}?",
                    "{account_no} balance",
                    "Could you tell me the livery bill for {account_no}?",
                    "how much is outstanding on {account_no}",
                ),
                {"balance_gbp": (0, 145.5, 312.75), "extras": (0, 3, 7)},
                "Account {account_no} owes £{balance_gbp}, including {extras} extra services.",
                "report livery bills",
                missing=(
                    ("How much is my livery bill this month?", "What is your account number?"),
                ),
            ),
        ),
        cannot=(
            ("Book the farrier for Bramble's front shoes.", "book the farrier"),
            ("Is there a stable free for a new horse next month?", "offer new stables"),
            ("Can someone ride Tilly for me while I'm away?", "exercise or ride horses"),
        ),
    ),
    # -- bowling lanes --------------------------------------------------------------------------
    Domain(
        "bowling_lanes",
        "bowling lane bookings",
        (
            Action(
                "book_bowling_lane",
                "Book a ten-pin bowling lane for a group.",
                (
                    Param("bowl_date", "string", "Date as YYYY-MM-DD.", date),
                    Param("start_time", "string", "Start time as HH:MM.", clock),
                    Param("players", "integer", "Number of players, 1-8.", count(2, 8)),
                    Param(
                        "games",
                        "integer",
                        "Games per player; default 1.",
                        count(2, 3),
                        say=(" We'll play {v} games.", " {v} games each, please."),
                    ),
                    Param(
                        "bumpers",
                        "boolean",
                        "Put the gutter bumpers up.",
                        YES,
                        say=(" Bumpers up for the kids, please.", " We need the bumpers up."),
                    ),
                ),
                (
                    "bowling lane {bowl_date} {start_time} {players} players",
                    "Can I book a lane for {players} on {bowl_date} at {start_time}?",
                    "We're {players} people, looking to bowl at {start_time} on {bowl_date}.",
                    "Please reserve a bowling lane on {bowl_date} from {start_time} for {players} players.",
                ),
                {
                    "lane": (3, 9, 14),
                    "booking_ref": ("BL-2044", "BL-5127", "BL-8830"),
                    "price_gbp": (24, 36, 52.5),
                },
                "Lane {lane} is booked on {bowl_date} at {start_time} for {players}: "
                "ref {booking_ref}, £{price_gbp}.",
                "book bowling lanes",
                missing=(
                    (
                        "Book a bowling lane for 6 people on 2027-02-14.",
                        "What time would you like to start?",
                    ),
                    (
                        "Can we get a bowling lane at 19:00 on 2026-12-05?",
                        "How many players will there be?",
                    ),
                ),
            ),
            Action(
                "bowling_game_scores",
                "Scores of the games played on a lane booking, by booking reference.",
                (
                    Param(
                        "booking_ref",
                        "string",
                        "Lane booking reference, e.g. 'BL-2044'.",
                        code("BL-####"),
                    ),
                    Param(
                        "game",
                        "integer",
                        "Only this game number; all games if omitted.",
                        count(1, 3),
                        say=(" Just game {v}.", " Only game {v}, please."),
                    ),
                ),
                (
                    "Who won on booking {booking_ref}?",
                    "{booking_ref} scores",
                    "can you pull up the scores for {booking_ref}? we forgot to take a photo",
                    "What was the top score on {booking_ref}?",
                ),
                {"winner": ("Maya", "Dan", "Oskar"), "top_score": (142, 187, 221)},
                "On {booking_ref}, {winner} won with {top_score}.",
                "look up game scores",
                missing=(
                    (
                        "Can you send me our bowling scores from last night?",
                        "What is the booking reference?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Do you do food packages for kids' birthday parties?", "arrange party food"),
            ("Can I buy my own bowling ball from you?", "sell bowling equipment"),
            ("Sign me up for the Tuesday night league.", "enter players in leagues"),
        ),
    ),
    # -- genealogy records ----------------------------------------------------------------------
    Domain(
        "genealogy_records",
        "parish and civil record searches",
        (
            Action(
                "request_record_search",
                "Search parish and civil registers for an event by surname, parish and year.",
                (
                    Param(
                        "surname",
                        "string",
                        "Surname to search for.",
                        words("Pickering", "Hargreaves", "McAllister", "Trevithick", "Eastwood"),
                    ),
                    Param(
                        "record_type",
                        "string",
                        "Kind of register entry.",
                        words("baptism", "marriage", "burial"),
                        enum=("baptism", "marriage", "burial"),
                    ),
                    Param(
                        "parish",
                        "string",
                        "Parish, as church and place.",
                        words(
                            "St Mary, Whitby",
                            "Holy Trinity, Stratford",
                            "St Cuthbert, Wells",
                            "St Andrew, Kirkby Lonsdale",
                        ),
                    ),
                    Param("year", "integer", "Year of the event.", count(1700, 1900, words=False)),
                    Param(
                        "span_years",
                        "integer",
                        "Years either side of the year to search; default 2.",
                        count(3, 10),
                        say=(" Give or take {v} years.", " Search {v} years either side."),
                    ),
                ),
                (
                    "Search the {record_type} records for {surname} at {parish} around {year}.",
                    "{surname} {record_type} {parish} {year}",
                    "I'm tracing my family tree - could you look for a {record_type} of a "
                    "{surname} in {parish}, about {year}?",
                    "looking for the {surname} {record_type} in the {parish} registers, {year} or so",
                ),
                {"search_ref": ("GR-10422", "GR-20815", "GR-33170"), "matches": (0, 2, 5)},
                "Search {search_ref}: {matches} {record_type} entries for {surname} in {parish} "
                "near {year}.",
                "search parish registers",
                missing=(
                    (
                        "Look for a Hargreaves baptism at Holy Trinity, Stratford.",
                        "Around which year should I search?",
                    ),
                    (
                        "Search the burial records for 1843 at St Cuthbert, Wells.",
                        "Which surname are you looking for?",
                    ),
                ),
            ),
            Action(
                "record_search_outcome",
                "What a record search found and which archive holds it, by search reference.",
                (
                    Param(
                        "search_ref",
                        "string",
                        "Search reference, e.g. 'GR-10422'.",
                        code("GR-#####"),
                    ),
                    Param(
                        "with_transcript",
                        "boolean",
                        "Include a transcription of each entry.",
                        YES,
                        say=(" Include the transcription.", " With the full transcript, please."),
                    ),
                ),
                (
                    "Did search {search_ref} turn anything up?",
                    "{search_ref} results",
                    "I'd like to know whether you found anything for {search_ref}.",
                    "what came back on my record search {search_ref}",
                ),
                {
                    "entries": ("one baptism entry", "two matching entries", "no entries"),
                    "archive": (
                        "North Yorkshire Record Office",
                        "Somerset Heritage Centre",
                        "Cumbria Archive Centre",
                    ),
                },
                "Search {search_ref} found {entries}; the registers are held at {archive}.",
                "report a search's findings",
                missing=(
                    ("Has my parish record search finished?", "What is the search reference?"),
                ),
            ),
        ),
        cannot=(
            ("Run a DNA test to find my living relatives.", "do DNA testing"),
            (
                "Send me a certified copy of my great-grandparents' marriage certificate.",
                "issue certified certificates",
            ),
            ("Translate this Latin baptism entry for me.", "translate old records"),
        ),
    ),
    # -- bell ringing ---------------------------------------------------------------------------
    Domain(
        "bell_ringing",
        "church bell-ringing practice rota",
        (
            Action(
                "join_ringing_practice",
                "Put a ringer's name down for practice night at a tower.",
                (
                    Param(
                        "ringer",
                        "string",
                        "Ringer's full name.",
                        words("Margaret Hale", "Owen Pryce", "Beth Lindley", "Samuel Archer"),
                    ),
                    TOWER,
                    Param("practice_date", "string", "Practice date as YYYY-MM-DD.", date),
                    Param(
                        "method",
                        "string",
                        "Method the ringer hopes to ring.",
                        words(
                            "Plain Bob Doubles",
                            "Grandsire Triples",
                            "Stedman Triples",
                            "Cambridge Surprise Minor",
                        ),
                        say=(" I'd like to ring {v}.", " Hoping to have a go at {v}."),
                    ),
                    Param(
                        "learner",
                        "boolean",
                        "The ringer is a learner and needs someone standing by.",
                        YES,
                        say=(
                            " I'm still learning, so I'll need someone alongside.",
                            " I'm a learner - rounds and call changes only.",
                        ),
                    ),
                ),
                (
                    "Put {ringer} down for practice at {tower} on {practice_date}.",
                    "{ringer} - {tower} practice {practice_date}",
                    "Could {ringer} join the ringing practice at {tower} on {practice_date}?",
                    "i'm {ringer}, can i come along to practice at {tower} on {practice_date}",
                ),
                {"ringers_booked": (6, 8, 11), "start": ("19:30", "19:45")},
                "{ringer} is down for {tower} on {practice_date}; {ringers_booked} ringers so far, "
                "starting at {start}.",
                "sign ringers up for practice",
                missing=(
                    (
                        "Put Owen Pryce down for practice at St Peter Mancroft.",
                        "Which practice date?",
                    ),
                    (
                        "Can I join practice night on 2026-09-17? I'm Beth Lindley.",
                        "Which tower's practice would you like to join?",
                    ),
                ),
            ),
            Action(
                "ringing_rota_duty",
                "Who is on a tower's service ringing rota for a date.",
                (
                    TOWER,
                    Param("service_date", "string", "Service date as YYYY-MM-DD.", date),
                    Param(
                        "service",
                        "string",
                        "Which service; the morning service if omitted.",
                        (("morning", "the morning service"), ("evensong", "evensong")),
                        enum=("morning", "evensong"),
                        say=(" For {v}.", " I mean {v}."),
                    ),
                ),
                (
                    "Who's ringing at {tower} on {service_date}?",
                    "rota for {tower}, {service_date}",
                    "How many are down to ring at {tower} on {service_date}? I'm worried we're short.",
                    "Can you check the service rota at {tower} for {service_date}?",
                ),
                {
                    "band_size": (5, 6, 8),
                    "captain": ("Ruth Fairbairn", "Geoff Allan", "Nia Roberts"),
                },
                "{tower} on {service_date}: {band_size} ringers on the rota, with {captain} "
                "running the band.",
                "check the service rota",
                missing=(
                    (
                        "Who's on the bell-ringing rota at Exeter Cathedral?",
                        "Which date do you mean?",
                    ),
                    ("Check the ringing rota for 2027-04-04, please.", "Which tower do you mean?"),
                ),
            ),
        ),
        cannot=(
            ("Can your band ring for our wedding in June?", "book ringers for weddings"),
            ("Teach me how to handle a bell rope.", "give handling lessons"),
            ("The tenor's rope is fraying, order a new one.", "order bell ropes"),
        ),
    ),
]
