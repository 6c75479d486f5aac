"""Hand-written services (see ``assistant/distill/written/__init__.py``): set C."""

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
ALTERATION_TICKET = Param(
    "ticket_no", "string", "Alteration ticket number, e.g. 'TA-2207'.", code("TA-####")
)
RINK = Param(
    "rink", "string", "Ice rink name.",
    words("Northgate Ice Arena", "Riverside Rink", "Castlefield Ice Hall", "Deeside Ice Bowl"),
)  # fmt: skip
FRIDGE = Param(
    "fridge", "string", "Community fridge location name.",
    words("St Mark's Church Hall", "Brunswick Street Library", "Hollow Lane Community Centre",
          "Canal Side Café"),
)  # fmt: skip
FOOD_TYPE = (
    ("produce", "fruit and veg"), ("produce", "vegetables"), ("dairy", "dairy"),
    ("dairy", "yoghurts and cheese"), ("bakery", "bread"), ("bakery", "baked goods"),
    ("prepared meals", "ready meals"), ("prepared meals", "sealed ready meals"),
)  # fmt: skip
FOOD_TYPES = ("produce", "dairy", "bakery", "prepared meals")
KEY_BRANCH = Param(
    "branch", "string", "Shop branch name.",
    words("Deansgate", "Old Market", "Kings Parade", "Northbridge Retail Park"),
)  # fmt: skip
PATIENT = Param(
    "patient_number", "string", "Audiology patient number, e.g. 'PN-40218'.", code("PN-#####")
)
ADDRESS = Param(
    "address", "string", "House number and street, or house name and street.",
    words("14 Grove Road", "Flat 3, 22 Elm Terrace", "The Old Forge, Mill Lane", "7 Kestrel Close",
          "41 Harbour View"),
)  # fmt: skip

DOMAINS: list[Domain] = [
    # -- tailoring ------------------------------------------------------------------------------
    Domain(
        "tailoring_alterations",
        "clothing alterations",
        (
            Action(
                "book_garment_alteration",
                "Book a garment in at the tailor's for an alteration.",
                (
                    Param(
                        "garment",
                        "string",
                        "Kind of garment.",
                        (
                            ("trousers", "a pair of trousers"),
                            ("trousers", "a pair of suit trousers"),
                            ("dress", "a bridesmaid dress"),
                            ("dress", "a dress"),
                            ("jacket", "a suit jacket"),
                            ("jacket", "a blazer"),
                            ("coat", "a winter coat"),
                            ("coat", "a wool coat"),
                        ),
                        enum=("trousers", "dress", "jacket", "coat"),
                    ),
                    Param(
                        "alteration",
                        "string",
                        "The alteration wanted.",
                        (
                            ("hem", "hemming"),
                            ("hem", "taking up"),
                            ("take in", "taking in"),
                            ("let out", "letting out"),
                            ("shorten sleeves", "the sleeves shortening"),
                            ("shorten sleeves", "shorter sleeves"),
                        ),
                        enum=("hem", "take in", "let out", "shorten sleeves"),
                    ),
                    Param("ready_by", "string", "Date it is needed back by, as YYYY-MM-DD.", date),
                    Param(
                        "express",
                        "boolean",
                        "Use the express service (surcharge).",
                        YES,
                        say=(
                            " It's urgent, so express service please.",
                            " I'll pay for the express service.",
                        ),
                    ),
                    Param(
                        "new_length_cm",
                        "number",
                        "Finished length in centimetres, where the alteration changes a length.",
                        decimal(58.0, 92.0),
                        say=(
                            " The new length should be {v} cm.",
                            " Finished length {v} cm, please.",
                        ),
                    ),
                ),
                (
                    "I've got {garment} that needs {alteration}. Could it be ready by {ready_by}?",
                    "{garment} - needs {alteration} - by {ready_by}.",
                    "Please book in {garment} for alterations; it needs {alteration} and I need it back by {ready_by}.",
                    "There's a wedding the day after {ready_by} and {garment} still needs {alteration} - can you have it done by then?",
                ),
                {"ticket_no": ("TA-2207", "TA-3815", "TA-6042"), "price_gbp": (14, 28.5, 45)},
                "Your {garment} ({alteration}) is booked in on ticket {ticket_no}, ready by {ready_by}: £{price_gbp}.",
                "book clothing alterations",
                missing=(
                    (
                        "I need a pair of trousers taking up, please.",
                        "When do you need them back by?",
                    ),
                    (
                        "Could you have my wool coat ready by 2026-11-13?",
                        "What alteration does the coat need?",
                    ),
                ),
            ),
            Action(
                "alteration_ready_check",
                "Whether an alteration is finished and what is left to pay, by ticket number.",
                (ALTERATION_TICKET,),
                (
                    "Is ticket {ticket_no} ready to pick up?",
                    "{ticket_no} ready?",
                    "I'd like to know whether the alterations on {ticket_no} are done yet.",
                    "checking on alteration ticket {ticket_no}, any news",
                ),
                {
                    "state": (
                        "ready to collect",
                        "waiting for a fitting",
                        "still with the seamstress",
                    ),
                    "balance_gbp": (0, 12.5, 20),
                },
                "Ticket {ticket_no} is {state}; £{balance_gbp} left to pay.",
                "check whether an alteration is ready",
                missing=(
                    ("Are my altered trousers ready yet?", "What is the ticket number?"),
                    (
                        "Has the tailor finished my dress?",
                        "What number is on your alteration ticket?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you dry-clean my suit as well?", "dry-clean clothes"),
            ("I'd like a made-to-measure suit from scratch.", "make bespoke clothes"),
            ("Could you resole my brogues?", "repair shoes"),
        ),
    ),
    # -- ice rink -------------------------------------------------------------------------------
    Domain(
        "ice_rink_sessions",
        "ice rink skating sessions",
        (
            Action(
                "book_skating_session",
                "Book places on a public skating session at an ice rink.",
                (
                    RINK,
                    Param("session_date", "string", "Session date as YYYY-MM-DD.", date),
                    Param("start_time", "string", "Session start time as HH:MM.", clock),
                    Param("skaters", "integer", "Number of skaters.", count(2, 8)),
                    Param(
                        "skate_hire",
                        "boolean",
                        "Hire skates for every skater.",
                        YES,
                        say=(" We'll all need to hire skates.", " Include skate hire, please."),
                    ),
                    Param(
                        "skate_aids",
                        "integer",
                        "Number of skating aids for young children.",
                        count(1, 3),
                        say=(" We'll also need skating aids for {v} of the children.",),
                    ),
                ),
                (
                    "Book {skaters} skaters into the {start_time} session at {rink} on {session_date}.",
                    "{rink} {session_date} {start_time}, {skaters} people.",
                    "Hi, could we get {skaters} places for skating at {rink}, {session_date} at {start_time}?",
                    "it's my son's birthday so {skaters} of us want to skate at {rink} on {session_date}, the {start_time} session.",
                ),
                {
                    "booking_ref": ("IR-40218", "IR-51733", "IR-62904"),
                    "total_gbp": (19.5, 34, 52),
                },
                "{skaters} skaters are booked at {rink} on {session_date} at {start_time}: "
                "ref {booking_ref}, £{total_gbp} in total.",
                "book skating sessions",
                missing=(
                    (
                        "Book four of us onto the ice at Riverside Rink at 14:00.",
                        "Which date would you like to skate?",
                    ),
                    (
                        "Can I get two places at the Northgate Ice Arena on 2027-01-09?",
                        "Which session time would you like?",
                    ),
                ),
            ),
            Action(
                "rink_session_times",
                "The next skating session at a rink and how many places it has left.",
                (
                    RINK,
                    Param(
                        "on_date",
                        "string",
                        "Date as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" On {v}.", " We're free on {v}."),
                    ),
                    Param(
                        "session_type",
                        "string",
                        "Kind of session.",
                        (
                            ("public", "public"),
                            ("disco", "disco"),
                            ("disco", "ice disco"),
                            ("family", "family"),
                        ),
                        enum=("public", "disco", "family"),
                        say=(" Only {v} sessions.", " We're after a {v} session."),
                    ),
                ),
                (
                    "When's the next session at {rink}?",
                    "{rink} skating times?",
                    "Is there still space to skate at {rink}?",
                    "what sessions are on at {rink} on {on_date}?",
                ),
                {"next_session": ("14:00", "16:30", "19:15"), "spaces_left": (12, 40, 85)},
                "The next session at {rink} starts at {next_session}, with {spaces_left} spaces left.",
                "list skating session times",
                missing=(("When's the next skating session?", "Which rink do you mean?"),),
            ),
        ),
        cannot=(
            ("Can my daughter join the beginners' skating course?", "enrol skaters in lessons"),
            ("Could you sharpen my skates while I'm there?", "sharpen skates"),
            ("Put me on the ice hockey team's list for Sunday.", "manage ice hockey teams"),
        ),
    ),
    # -- archive --------------------------------------------------------------------------------
    Domain(
        "archive_reading_room",
        "archive reading-room document requests",
        (
            Action(
                "request_archive_document",
                "Order an archive document up to the reading room for a visit.",
                (
                    Param(
                        "reader_ticket",
                        "string",
                        "Reader's ticket number, e.g. 'RT-204518'.",
                        code("RT-######"),
                    ),
                    Param(
                        "document_ref",
                        "string",
                        "Catalogue reference, e.g. 'D/KLM/3/07'.",
                        code("D/@@@/#/##"),
                    ),
                    Param("visit_date", "string", "Visit date as YYYY-MM-DD.", date),
                    Param(
                        "photography",
                        "boolean",
                        "Reader wants a permit to photograph the document.",
                        YES,
                        say=(
                            " I'd like permission to photograph it.",
                            " I'll want to take photos of it, too.",
                        ),
                    ),
                ),
                (
                    "Please produce {document_ref} for reader {reader_ticket} on {visit_date}.",
                    "Reader ticket {reader_ticket} - could I see {document_ref} when I visit on {visit_date}?",
                    "{document_ref} for {visit_date}, ticket {reader_ticket}.",
                    "I'm researching a parish history and would like {document_ref} brought up to the "
                    "reading room for {visit_date}. My reader's ticket is {reader_ticket}.",
                ),
                {"request_no": ("AR-7712", "AR-8034", "AR-9150"), "seat": ("A03", "B12", "C07")},
                "{document_ref} will be ready for ticket {reader_ticket} on {visit_date} at seat {seat}; "
                "request {request_no}.",
                "order documents to the reading room",
                missing=(
                    (
                        "Could you fetch D/KLM/3/07 for me on 2026-09-15?",
                        "What is your reader's ticket number?",
                    ),
                    (
                        "My reader's ticket is RT-204518; I'd like to order a document for 2027-02-02.",
                        "What is the catalogue reference of the document?",
                    ),
                ),
            ),
            Action(
                "archive_request_status",
                "Where a reading-room document request has got to, by request number.",
                (
                    Param(
                        "request_no", "string", "Request number, e.g. 'AR-7712'.", code("AR-####")
                    ),
                ),
                (
                    "Has request {request_no} been fetched from the stores yet?",
                    "status {request_no}",
                    "What's happening with my document request {request_no}?",
                    "is {request_no} on the trolley yet",
                ),
                {
                    "status": (
                        "fetched and waiting at the issue desk",
                        "in conservation and unavailable",
                        "still in the strongroom queue",
                    )
                },
                "Request {request_no} is {status}.",
                "check a document request",
                missing=(
                    (
                        "Has my document come up from the strongroom yet?",
                        "What is the request number?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Could you scan the whole file and email it to me?", "send digital copies"),
            (
                "Can you trace my great-grandfather's birth record for me?",
                "carry out research for readers",
            ),
            ("Please issue me a new reader's ticket.", "issue reader's tickets"),
        ),
    ),
    # -- community fridge -----------------------------------------------------------------------
    Domain(
        "community_fridge",
        "community fridge food donations",
        (
            Action(
                "log_fridge_donation",
                "Log food left in a community fridge.",
                (
                    FRIDGE,
                    Param("food_type", "string", "Kind of food.", FOOD_TYPE, enum=FOOD_TYPES),
                    Param("portions", "integer", "Number of portions.", count(2, 12)),
                    Param(
                        "use_by",
                        "string",
                        "Earliest use-by date as YYYY-MM-DD.",
                        date,
                        say=(" Use-by date is {v}.", " They're good until {v}."),
                    ),
                    Param(
                        "weight_kg",
                        "number",
                        "Rough total weight in kg.",
                        decimal(0.5, 8.0),
                        say=(" About {v} kg in total.", " It weighs roughly {v} kg."),
                    ),
                ),
                (
                    "I've just dropped {portions} portions of {food_type} at the {fridge} fridge.",
                    "log donation: {fridge}, {food_type}, {portions} portions.",
                    "Could you record {portions} portions of {food_type} I left in the fridge at {fridge}?",
                    "We had loads left over from the market stall, so I put {portions} portions of "
                    "{food_type} in the {fridge} fridge - please log it.",
                ),
                {
                    "donation_id": ("CF-1183", "CF-2456", "CF-3970"),
                    "shelf": ("top shelf", "middle shelf", "bottom shelf"),
                },
                "Logged {portions} portions ({food_type}) at {fridge} as {donation_id}; "
                "they're on the {shelf}.",
                "log fridge donations",
                missing=(
                    (
                        "I left some bread in the community fridge, please log it.",
                        "Which fridge did you leave it in, and how many portions?",
                    ),
                    (
                        "Log 6 portions of ready meals for me.",
                        "Which community fridge did you put them in?",
                    ),
                ),
            ),
            Action(
                "fridge_stock_level",
                "How many items a community fridge holds and when it was last restocked.",
                (
                    FRIDGE,
                    Param(
                        "food_type",
                        "string",
                        "Only count this kind of food.",
                        FOOD_TYPE,
                        enum=FOOD_TYPES,
                        say=(" Just {v}, please.", " I'm after {v}."),
                    ),
                ),
                (
                    "What's in the {fridge} fridge right now?",
                    "{fridge} fridge stock?",
                    "Is there much left at {fridge}?",
                    "I'd like to know whether the {fridge} fridge has been restocked today.",
                ),
                {"items_in_stock": (4, 17, 31), "last_restocked": ("08:15", "12:40", "17:05")},
                "The {fridge} fridge holds {items_in_stock} items, last restocked at {last_restocked}.",
                "check what a fridge holds",
                missing=(
                    ("What's in the community fridge at the moment?", "Which fridge do you mean?"),
                ),
            ),
        ),
        cannot=(
            ("Can a volunteer bring some food round to my flat?", "deliver food"),
            ("I want to donate a bag of winter coats.", "take clothing donations"),
            ("Sign me up for the Tuesday cleaning rota.", "manage volunteer rotas"),
        ),
    ),
    # -- dinghy hire ----------------------------------------------------------------------------
    Domain(
        "dinghy_hire",
        "sailing dinghy hire",
        (
            Action(
                "hire_sailing_dinghy",
                "Hire a sailing dinghy from the club for a number of hours.",
                (
                    Param(
                        "dinghy_class",
                        "string",
                        "Dinghy class.",
                        words("Laser", "Topper", "RS Feva", "Wayfarer"),
                        enum=("Laser", "Topper", "RS Feva", "Wayfarer"),
                    ),
                    Param("hire_date", "string", "Hire date as YYYY-MM-DD.", date),
                    Param("hours", "integer", "Hours of hire.", count(2, 6)),
                    Param(
                        "wetsuits",
                        "integer",
                        "Wetsuits to hire with the boat.",
                        count(2, 4),
                        say=(" Plus {v} wetsuits.", " We'll need {v} wetsuits as well."),
                    ),
                ),
                (
                    "dinghy hire {dinghy_class} {hire_date} {hours} hours.",
                    "I'd like to hire one of your {dinghy_class} dinghies for {hours} hours on {hire_date}, please.",
                    "Is it possible to take out the {dinghy_class} on {hire_date}? We'd want it for {hours} hours.",
                    "Book us a boat: {dinghy_class}, {hire_date}, {hours} hours - we're both RYA Level 2 "
                    "so no instructor needed.",
                ),
                {
                    "hire_no": ("DH-3310", "DH-4482", "DH-5907"),
                    "launch_slot": ("09:30", "11:00", "14:00"),
                    "deposit_gbp": (50, 100),
                },
                "{dinghy_class} hired for {hours} hours on {hire_date}: hire {hire_no}, launch at "
                "{launch_slot}, £{deposit_gbp} deposit.",
                "hire dinghies",
                missing=(
                    ("Can I hire a Topper for three hours?", "Which date would you like it?"),
                    (
                        "I'd like a dinghy on 2026-07-18 for the afternoon.",
                        "Which class of dinghy would you like, and for how many hours?",
                    ),
                ),
            ),
            Action(
                "dinghy_launch_conditions",
                "Wind speed and safety flag at a launch site.",
                (
                    Param(
                        "launch_site",
                        "string",
                        "Launch site name.",
                        words(
                            "Ardmore Reservoir",
                            "Coldwater Bay",
                            "Lake Elan slipway",
                            "Kelham Sailing Club",
                        ),
                    ),
                    Param(
                        "on_date",
                        "string",
                        "Date as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" For {v}.", " We're planning on {v}."),
                    ),
                ),
                (
                    "What's the wind like at {launch_site}?",
                    "{launch_site} conditions",
                    "Is it safe to sail at {launch_site}?",
                    "can we launch from {launch_site} or is it blowing too hard?",
                ),
                {"wind_knots": (6, 12, 19), "flag": ("green", "amber", "red")},
                "At {launch_site} the wind is {wind_knots} knots and the flag is {flag}.",
                "report launch conditions",
                missing=(("Is the wind OK for sailing today?", "Which launch site do you mean?"),),
            ),
        ),
        cannot=(
            ("Sign me up for an RYA Level 1 course.", "book sailing courses"),
            ("Do you have any second-hand Lasers for sale?", "sell boats"),
            ("Can we hire a motor boat instead?", "hire motor boats"),
        ),
    ),
    # -- key cutting ----------------------------------------------------------------------------
    Domain(
        "key_cutting",
        "key cutting orders",
        (
            Action(
                "order_key_copies",
                "Order copies of a key, cut at a shop branch.",
                (
                    Param(
                        "key_type",
                        "string",
                        "Kind of key.",
                        (
                            ("Yale", "Yale"),
                            ("Yale", "front door Yale"),
                            ("mortice", "mortice"),
                            ("mortice", "deadlock mortice"),
                            ("padlock", "padlock"),
                            ("window", "window lock"),
                        ),
                        enum=("Yale", "mortice", "padlock", "window"),
                    ),
                    Param("copies", "integer", "Number of copies.", count(2, 6)),
                    KEY_BRANCH,
                    Param(
                        "coloured_heads",
                        "boolean",
                        "Cut on coloured-head blanks.",
                        YES,
                        say=(
                            " Coloured heads, please, so I can tell them apart.",
                            " Could they have coloured heads?",
                        ),
                    ),
                    Param(
                        "collect_at",
                        "string",
                        "Collection time as HH:MM.",
                        clock,
                        say=(" I'll pick them up at {v}.", " Collecting about {v}."),
                    ),
                ),
                (
                    "{copies} copies of a {key_type} key at {branch}, please.",
                    "Can I order {copies} {key_type} keys to collect from {branch}?",
                    "key cutting at {branch} - {copies} {key_type} keys.",
                    "We've got a new lodger moving in, so I need {copies} copies of the {key_type} key. "
                    "I'll drop the original at {branch}.",
                ),
                {"order_ref": ("KC-5521", "KC-6038", "KC-7794"), "price_gbp": (7.5, 12, 24)},
                "{copies} {key_type} keys ordered at {branch}: order {order_ref}, £{price_gbp}.",
                "order key copies",
                missing=(
                    (
                        "I need some copies of my Yale key, please.",
                        "How many copies, and which branch will you use?",
                    ),
                    (
                        "Three mortice keys cut, please.",
                        "Which branch would you like to collect from?",
                    ),
                ),
            ),
            Action(
                "key_blank_stock",
                "How many key blanks for a lock brand a branch has, and its next delivery day.",
                (
                    KEY_BRANCH,
                    Param(
                        "lock_brand",
                        "string",
                        "Lock manufacturer.",
                        words("Union", "Chubb", "Era", "Squire"),
                    ),
                ),
                (
                    "Does {branch} have {lock_brand} blanks?",
                    "{lock_brand} blanks at {branch}?",
                    "I'd like to know whether {branch} can cut a {lock_brand} key today.",
                    "any {lock_brand} key blanks in stock at {branch}",
                ),
                {"blanks_in_stock": (0, 6, 23), "next_delivery": ("Tuesday", "Friday")},
                "{branch} has {blanks_in_stock} {lock_brand} blanks; next delivery {next_delivery}.",
                "check key blank stock",
                missing=(
                    ("Do you have Chubb blanks at the moment?", "Which branch should I check?"),
                    (
                        "Is there stock at Old Market for my key?",
                        "Which lock brand is the key for?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("I'm locked out - can someone come and open my front door?", "send a locksmith"),
            ("Can you engrave my dog's name on a tag?", "engrave tags"),
            ("Could you fit a new lock to my shed?", "fit locks"),
        ),
    ),
    # -- darkroom -------------------------------------------------------------------------------
    Domain(
        "darkroom_bookings",
        "photo darkroom bookings",
        (
            Action(
                "book_darkroom_session",
                "Book time in one of the club's darkrooms.",
                (
                    Param(
                        "room",
                        "string",
                        "Which darkroom.",
                        (
                            ("black and white", "the black-and-white darkroom"),
                            ("black and white", "the b&w room"),
                            ("colour", "the colour darkroom"),
                            ("colour", "the colour room"),
                        ),
                        enum=("black and white", "colour"),
                    ),
                    Param("session_date", "string", "Session date as YYYY-MM-DD.", date),
                    Param("start_time", "string", "Start time as HH:MM.", clock),
                    Param("hours", "integer", "Hours booked.", count(2, 4)),
                    Param(
                        "film_format",
                        "string",
                        "Negative format to be printed.",
                        (
                            ("35mm", "35mm"),
                            ("120", "120"),
                            ("120", "medium format 120"),
                            ("large format", "large format"),
                        ),
                        enum=("35mm", "120", "large format"),
                        say=(" I'll be printing from {v} negatives.", " Negatives are {v}."),
                    ),
                ),
                (
                    "Book {room} for {hours} hours on {session_date} from {start_time}.",
                    "darkroom {session_date} {start_time}, {hours} hrs, {room}.",
                    "Could I have {room} on {session_date}? I'd start at {start_time} and need {hours} hours.",
                    "I've a stack of prints to make for an exhibition - is {room} free for {hours} hours "
                    "from {start_time} on {session_date}? Please book it if so.",
                ),
                {
                    "booking_no": ("DR-118", "DR-240", "DR-377"),
                    "enlarger": ("Durst M605", "Beseler 23C", "Meopta Opemus"),
                    "cost_gbp": (12, 18, 24),
                },
                "Booked: the {room} darkroom on {session_date} from {start_time} for {hours} hours, "
                "on the {enlarger}; booking {booking_no}, £{cost_gbp}.",
                "book darkroom time",
                missing=(
                    (
                        "Book me the colour darkroom on 2026-10-02 for three hours.",
                        "What time would you like to start?",
                    ),
                    (
                        "Can I get the darkroom on 2027-03-20 at 10:00 for two hours?",
                        "The black-and-white darkroom or the colour one?",
                    ),
                ),
            ),
            Action(
                "darkroom_member_credit",
                "Darkroom hours and paper credit left on a membership, by member number.",
                (
                    Param("member_no", "string", "Member number, e.g. 'DK-0412'.", code("DK-####")),
                    Param(
                        "month",
                        "string",
                        "Membership month as YYYY-MM; the current one if omitted.",
                        month,
                        say=(" For {v}.", " I mean the {v} allowance."),
                    ),
                ),
                (
                    "How many darkroom hours has {member_no} got left?",
                    "credit for {member_no}?",
                    "I'm member {member_no} - do I have any paper credit left?",
                    "darkroom balance {member_no} please.",
                ),
                {"hours_left": (0.5, 3, 8), "paper_sheets": (0, 25, 100)},
                "Member {member_no} has {hours_left} darkroom hours and {paper_sheets} sheets of "
                "paper credit left.",
                "check a member's darkroom credit",
                missing=(
                    ("How many darkroom hours do I have left?", "What is your member number?"),
                ),
            ),
        ),
        cannot=(
            ("Could you develop three rolls of film for me?", "develop film for members"),
            ("Can you scan my negatives at high resolution?", "scan negatives"),
            ("I want to buy a box of fibre paper.", "sell photographic paper"),
        ),
    ),
    # -- hearing aids ---------------------------------------------------------------------------
    Domain(
        "hearing_aid_repairs",
        "hearing aid repairs",
        (
            Action(
                "send_hearing_aid_repair",
                "Log a hearing aid for repair at the audiology clinic.",
                (
                    PATIENT,
                    Param(
                        "side",
                        "string",
                        "Which aid needs repair.",
                        (
                            ("left", "the left aid"),
                            ("left", "my left hearing aid"),
                            ("right", "the right aid"),
                            ("right", "my right one"),
                            ("both", "both aids"),
                            ("both", "both of them"),
                        ),
                        enum=("left", "right", "both"),
                    ),
                    Param(
                        "fault",
                        "string",
                        "What is wrong.",
                        (
                            ("no sound", "no sound at all"),
                            ("whistling", "constant whistling"),
                            ("whistling", "feedback whistling"),
                            ("crackling", "a crackling noise"),
                            ("battery door", "a broken battery door"),
                        ),
                        enum=("no sound", "whistling", "crackling", "battery door"),
                    ),
                    Param(
                        "postal_return",
                        "boolean",
                        "Post the repaired aid back instead of collection at the clinic.",
                        YES,
                        say=(
                            " Please post it back rather than me collecting.",
                            " Return by post, please.",
                        ),
                    ),
                ),
                (
                    "Patient {patient_number}: repair for {side}, the problem is {fault}.",
                    "Could you repair {side}? There's {fault}. My patient number is {patient_number}.",
                    "hearing aid repair for {patient_number}: {side}, {fault}.",
                    "Hi, I'm struggling to hear on the phone. It's {side} - {fault}. Patient number "
                    "{patient_number}, please send it for repair.",
                ),
                {"repair_ref": ("HR-2093", "HR-3541", "HR-4876"), "turnaround_days": (3, 5, 10)},
                "Repair {repair_ref} is logged for patient {patient_number} ({side}, {fault}); "
                "expect it back in {turnaround_days} working days.",
                "log hearing aid repairs",
                missing=(
                    (
                        "My left hearing aid keeps whistling, can you fix it?",
                        "What is your patient number?",
                    ),
                    (
                        "Patient PN-40218 needs a hearing aid repaired.",
                        "Which aid is it, and what's wrong with it?",
                    ),
                ),
            ),
            Action(
                "order_hearing_aid_batteries",
                "Post free hearing aid batteries to a patient.",
                (
                    PATIENT,
                    Param(
                        "battery_size",
                        "string",
                        "Battery size (colour tab).",
                        (
                            ("10", "size 10"),
                            ("10", "yellow-tab"),
                            ("13", "size 13"),
                            ("13", "orange-tab"),
                            ("312", "size 312"),
                            ("312", "brown-tab"),
                            ("675", "size 675"),
                            ("675", "blue-tab"),
                        ),
                        enum=("10", "13", "312", "675"),
                    ),
                    Param(
                        "packs",
                        "integer",
                        "Packs of batteries; default 1.",
                        count(2, 4),
                        say=(" I'd like {v} packs.", " Could I have {v} packs?"),
                    ),
                ),
                (
                    "Please send {battery_size} batteries to patient {patient_number}.",
                    "{battery_size} batteries for {patient_number}, please.",
                    "I'm running low on {battery_size} batteries - patient number {patient_number}.",
                    "Can I order more {battery_size} batteries? I'm {patient_number}.",
                ),
                {
                    "dispatch": ("posted today", "posted tomorrow"),
                    "packs_left_this_year": (2, 6, 9),
                },
                "Size {battery_size} batteries for {patient_number} will be {dispatch}; "
                "{packs_left_this_year} free packs left this year.",
                "send batteries",
                missing=(
                    (
                        "Can I get some more hearing aid batteries sent out?",
                        "What is your patient number, and which battery size do you use?",
                    ),
                    (
                        "Patient PN-11873 needs batteries.",
                        "Which battery size does the aid take?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("I'd like to book a hearing test.", "book hearing tests"),
            ("Can I upgrade to a rechargeable model?", "supply new hearing aids"),
            ("Can I get my ears syringed?", "book ear wax removal"),
        ),
    ),
    # -- window cleaning ------------------------------------------------------------------------
    Domain(
        "window_cleaning",
        "window cleaning rounds",
        (
            Action(
                "add_window_clean",
                "Add a property to the window cleaning round.",
                (
                    ADDRESS,
                    Param(
                        "frequency",
                        "string",
                        "How often to clean.",
                        (
                            ("4-weekly", "every four weeks"),
                            ("4-weekly", "every 4 weeks"),
                            ("8-weekly", "every eight weeks"),
                            ("8-weekly", "every 8 weeks"),
                            ("one-off", "just once"),
                        ),
                        enum=("4-weekly", "8-weekly", "one-off"),
                    ),
                    Param(
                        "conservatory",
                        "boolean",
                        "Also clean a conservatory roof.",
                        YES,
                        say=(
                            " There's a conservatory roof as well.",
                            " Include the conservatory, please.",
                        ),
                    ),
                    Param(
                        "first_clean",
                        "string",
                        "Earliest date for the first clean, as YYYY-MM-DD.",
                        date,
                        say=(" Could the first clean be on or after {v}?", " Start from {v}."),
                    ),
                ),
                (
                    "Please add {address} to your round, {frequency}.",
                    "window cleaning at {address}, {frequency}.",
                    "We've just moved into {address} - could you clean the windows {frequency}?",
                    "Can I sign up {address} for window cleaning {frequency}?",
                ),
                {"round_day": ("Monday", "Wednesday", "Friday"), "price_gbp": (12, 18, 25)},
                "{address} is on the {round_day} round ({frequency}) at £{price_gbp} a clean.",
                "add properties to the round",
                missing=(
                    (
                        "Could you add my house to the window round every four weeks?",
                        "What is the address?",
                    ),
                    (
                        "Please clean the windows at 7 Kestrel Close.",
                        "How often would you like them cleaned: every four weeks, every eight "
                        "weeks, or just once?",
                    ),
                ),
            ),
            Action(
                "next_window_clean",
                "When the window cleaner is next due at an address, and who.",
                (ADDRESS,),
                (
                    "When are you next doing {address}?",
                    "next clean at {address}?",
                    "I'd like to know when the window cleaner is next due at {address}.",
                    "is anyone coming to {address} this week for the windows",
                ),
                {
                    "next_visit": ("2026-04-09", "2026-04-14", "2026-04-23"),
                    "cleaner": ("Dan", "Sophie", "Marek"),
                },
                "{cleaner} is next due at {address} on {next_visit}.",
                "give the next cleaning date",
                missing=(("When's the window cleaner next coming?", "What is the address?"),),
            ),
        ),
        cannot=(
            ("Can you clear out my gutters too?", "clear gutters"),
            ("Pressure-wash the patio while you're here.", "pressure-wash patios"),
            ("Your cleaner cracked a pane, I want it paid for.", "handle damage claims"),
        ),
    ),
    # -- translation ----------------------------------------------------------------------------
    Domain(
        "translation_quotes",
        "document translation quotes",
        (
            Action(
                "request_translation_quote",
                "Quote for translating a document between two languages.",
                (
                    Param(
                        "source_language",
                        "string",
                        "Language the document is written in.",
                        words("Polish", "Portuguese", "German", "Romanian", "Italian", "Welsh"),
                    ),
                    Param(
                        "target_language",
                        "string",
                        "Language to translate into.",
                        words("English", "French", "Spanish", "Dutch"),
                    ),
                    Param(
                        "word_count",
                        "integer",
                        "Number of words in the document.",
                        count(250, 12000, words=False),
                    ),
                    Param(
                        "certified",
                        "boolean",
                        "Certified translation for official use.",
                        YES,
                        say=(
                            " It needs to be certified for the Home Office.",
                            " Certified translation, please.",
                        ),
                    ),
                    Param(
                        "deadline",
                        "string",
                        "Delivery deadline as YYYY-MM-DD.",
                        date,
                        say=(" I need it by {v}.", " Deadline is {v}."),
                    ),
                ),
                (
                    "How much to translate {word_count} words from {source_language} into {target_language}?",
                    "quote: {source_language} > {target_language}, {word_count} words.",
                    "I need a quote for translating a contract of {word_count} words from "
                    "{source_language} to {target_language}.",
                    "Could you price up a {source_language}-to-{target_language} translation? "
                    "It's {word_count} words.",
                ),
                {
                    "quote_ref": ("TQ-60231", "TQ-71458", "TQ-84302"),
                    "price_eur": (85, 240.5, 610),
                    "working_days": (2, 4, 7),
                },
                "Quote {quote_ref}: {word_count} words from {source_language} into "
                "{target_language}, {price_eur} EUR, {working_days} working days.",
                "quote translations",
                missing=(
                    (
                        "How much would it cost to translate 1800 words into English?",
                        "Which language is the document in?",
                    ),
                    (
                        "Quote for a Polish to English translation, please.",
                        "How many words is the document?",
                    ),
                ),
            ),
            Action(
                "translation_quote_status",
                "Progress of a translation job and its translator, by quote reference.",
                (
                    Param(
                        "quote_ref", "string", "Quote reference, e.g. 'TQ-60231'.", code("TQ-#####")
                    ),
                ),
                (
                    "Where are we with {quote_ref}?",
                    "status of translation {quote_ref}",
                    "I sent the files for {quote_ref} last week - I'd like to know whether a translator has started.",
                    "Is {quote_ref} done yet?",
                ),
                {
                    "status": ("awaiting payment", "with a translator", "delivered by email"),
                    "translator": ("Ana Ribeiro", "Jonas Weber", "Zofia Nowak"),
                },
                "{quote_ref}: {status}; assigned translator {translator}.",
                "check a translation's progress",
                missing=(("Has my translation been started yet?", "What is the quote reference?"),),
            ),
        ),
        cannot=(
            ("I need an interpreter at the hospital on Monday.", "book interpreters"),
            ("Could you proofread my English cover letter?", "proofread documents"),
            ("Can you get the translation notarised too?", "arrange notarisation"),
        ),
    ),
]
