"""Deterministic demo material for Newsboard: articles, reader names, comments and lead images.

The text is original and fictional. All randomness goes through the ``rng`` argument of each
function (never the global ``random`` state, the clock or ``hash()``), so the same seed always
gives the same site. The ``demo_content`` management command turns this material into database
rows; this module knows nothing about Django.
"""

import math
import unicodedata
from functools import lru_cache
from io import BytesIO
from itertools import accumulate
from random import Random

from PIL import Image, ImageDraw, ImageFilter

SECTIONS: list[tuple[str, str]] = [
    ("World", "world"),
    ("Politics", "politics"),
    ("Business", "business"),
    ("Science", "science"),
    ("Technology", "technology"),
    ("Climate", "climate"),
    ("Sport", "sport"),
    ("Culture", "culture"),
]


def _prose(text: str) -> str:
    """Markdown from an indented triple-quoted string: one line per paragraph or list item.

    The source is wrapped to fit the code's line length; the stored body should look as an
    editor would type it, so wrapped lines are joined back unless they start a list item.
    """
    blocks = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if lines and not line.startswith("- "):
                lines[-1] += " " + line
            else:
                lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


ARTICLES: list[dict] = [
    {
        "section": "world",
        "headline": (
            "The night train is back: a sleeper links Lisbon and Paris again, "
            "and its first trip sold out"
        ),
        "standfirst": (
            "A start-up operator has revived the overnight route across Spain to the French "
            "border and on to Paris. The first departure sold out in four hours — now it has to "
            "prove the sums add up."
        ),
        "dateline": "LISBON",
        "byline": "Ana Ribeiro in Lisbon",
        "body": _prose("""
            At 9.42pm on Sunday, under the iron roof of Santa Apolónia station, a conductor in a
            bottle-green jacket blew her whistle and the first scheduled sleeper to Paris in years
            eased out along the Tagus. On the platform, a few dozen people who had come only to
            watch broke into applause; one man held up a hand-painted sign that read *Finalmente*.

            The service, run by the start-up operator Atlântica Rail with carriages leased from a
            Swiss rolling-stock company, will leave Lisbon three nights a week, cross Spain via
            Salamanca and Valladolid, change crews at the border at Hendaye and pull into Paris
            Austerlitz shortly after lunch the next day. A bunk in a four-berth compartment costs
            from €89; a private cabin with its own shower, from €310.

            ## Why now

            Overnight trains between the Iberian peninsula and France were withdrawn years ago,
            squeezed by budget airlines, ageing carriages and a tangle of track gauges and
            signalling systems at the frontier. What has changed, says Atlântica’s chief
            executive, Marta Quintela, is less the technology than the passengers.

            > “People tell us they want to arrive rested, and without the guilt of flying,” Ms
            Quintela said as the lights of Vila Franca de Xira slid past the window. “A year ago
            investors laughed at us. The first departure sold out in four hours.”

            Demand is only half the story. Track-access charges in three countries make up close to
            40% of the operator’s costs, and its discount in Spain lasts for two years only. Night
            trains also earn their money once a day rather than several times, because each
            carriage spends its daylight hours parked at a terminus.

            ## Who was on board

            In carriage 7, the mix was what rail enthusiasts have long predicted:

            - a retired couple from Coimbra on their way to meet a new grandchild in Lyon;
            - two software developers who planned to *work from the dining car* and see Paris at the
            weekend;
            - a cellist travelling with her instrument, which had a reserved berth of its own.

            Rodrigo Mendes, a transport economist who has studied Europe’s sleeper revival, says
            the sums can work, but only just. “A night train is a hotel that moves,” he said. “You
            pay hotel costs and railway costs at the same time. The operators that survive are the
            ones that fill every bed, every night, in February as well as in August.”

            Atlântica says it needs an average occupancy of 72% to break even and plans to add a
            fourth weekly departure in the spring if bookings hold. The company has also asked the
            Portuguese and Spanish governments for help buying its own carriages — new ones take
            three years to build — rather than renting second-hand stock.

            By 7am, somewhere north of Burgos, the corridor smelt of coffee and the queue for the
            single shower had reached six. Nobody seemed to mind. “It’s slower,” said Beatriz
            Sousa, one of the grandparents from Coimbra, looking out at the frost on the fields.
            “That is rather the point.”
        """),
        "caption": (
            "Passengers board the first overnight service to Paris at Santa Apolónia station "
            "in Lisbon on Sunday evening."
        ),
        "credit": "Photograph: Newsboard / Pedro Lobo",
        "palette": ("#1d3557", "#e76f51", "#f1dca7"),
    },
    {
        "section": "world",
        "headline": (
            "One hospital, two countries: a mountain valley’s experiment in shared care turns ten"
        ),
        "standfirst": (
            "In a high Pyrenean valley split by the border, French and Spanish patients have been "
            "treated under one roof for a decade. Staff say it works — when the paperwork lets it."
        ),
        "dateline": "VALDERROSA",
        "byline": "Claire Fontaine and Jordi Puig",
        "body": _prose("""
            The maternity ward on the second floor of the Hospital de la Vall has a small quirk:
            babies born in rooms 201 to 206 are registered as French, and those born in rooms 207 to
            212 as Spanish — unless their parents ask otherwise. It is, the head midwife says, the
            least complicated part of running a hospital that belongs to two countries.

            Ten years ago this month, the valley’s two small clinics, one on each side of a border
            that runs along a stream through the middle of town, closed and were replaced by a
            single 90-bed hospital jointly funded by regional health authorities in France and
            Spain. Before then, a French resident with a broken hip faced a 90-minute ambulance ride
            over the pass to the nearest French hospital; a Spanish patient, nearly as long in the
            other direction.

            ## Two systems, one building

            Doctors and nurses are recruited from both countries and work in Catalan, French and
            Spanish, often in the same sentence. Patients keep their own national health cards.
            Behind the scenes, an accounts team of four people spends its days working out which
            authority pays for what.

            > “The medicine is the easy part,” said Dr Mireia Casals, the hospital’s medical
            director. “A heart attack is a heart attack. What took us years was agreeing which
            country’s rules apply to the ambulance, the prescription and the death certificate.”

            Some problems have never been solved. Drugs approved in one country but not the other
            have to be kept in separate cupboards. Junior doctors’ training is recognised on both
            sides only for some specialties. And when the French and Spanish governments change
            their health budgets, as both did last year, the hospital’s director has to negotiate
            twice.

            ## What the valley thinks

            Still, a survey commissioned for the anniversary found that 87% of residents on both
            sides rated the hospital as good or very good, and that most could not say which
            country employed the nurse who had treated them. For people who live here, the border
            has long been a line on a map rather than a line in their lives.

            Gérard Bonnet, 74, a retired ski instructor, spent nine days on the cardiac ward last
            winter. “I had a French doctor in the morning and a Spanish one at night, and both of
            them told me to stop eating cheese,” he said. “So at least on that they agree.”

            Other border regions have been watching closely. Delegations from valleys in the Alps
            and along the Danube have visited, and the hospital now publishes a short guide — *How
            to share a hospital without losing your mind* — for officials thinking of doing the
            same.

            The director, Sophie Arnaud, is cautious about exporting the model wholesale. “It works
            here because the valley was already one community,” she said. “You cannot build that
            with a treaty. You can only build the hospital.”
        """),
        "caption": "The Hospital de la Vall, which straddles the French–Spanish border.",
        "credit": "Photograph: Newsboard / Núria Ferrer",
        "palette": ("#a8dadc", "#457b9d", "#f1faee"),
    },
    {
        "section": "politics",
        "headline": (
            "Sixty residents chosen by lottery tell Hollingford how to fix its housing crisis"
        ),
        "standfirst": (
            "After six weekends of evidence and argument, the town’s first citizens’ assembly has "
            "handed councillors 23 recommendations — including some nobody on the council had "
            "dared to propose."
        ),
        "dateline": "HOLLINGFORD",
        "byline": "Tom Aldridge, Local government correspondent",
        "body": _prose("""
            Last spring, 6,000 households in Hollingford received a letter inviting them to spend
            six weekends deciding what the town should do about housing. Just over 400 said yes.
            From those, a computer drew 60 people chosen to mirror the town by age, income, tenure
            and neighbourhood: a bus driver, two sixth-formers, a retired magistrate, a landlord
            with eleven flats and a woman who had spent the previous winter sleeping in her car.

            On Thursday night, in a packed council chamber, they handed over their report.

            ## What they asked for

            The 23 recommendations range from the modest to the politically explosive. Among those
            with the strongest support:

            - a licensing scheme for every private landlord in the town, not only the largest;
            - a doubling of council tax on homes left empty for more than a year;
            - permission for three-storey terraces on the edge of the town centre, where
            planning rules currently cap buildings at two;
            - a council-owned building company to put up homes on public land.

            That last idea, backed by 49 of the 60 members, had been dismissed by councillors of all
            parties only two years ago as unaffordable.

            > “I came in thinking the answer was just *build more*,” said Daniel Okoro, 19, one of
            the youngest members. “Then we heard from people who had been on the waiting list for
            nine years, and from builders who said they could not get land. You stop seeing it as
            one problem.”

            ## Will anyone listen?

            Assemblies like this have a mixed record. Elsewhere, councils have thanked members
            warmly and then quietly ignored them. Hollingford’s leader, Councillor Ruth Pearce, has
            promised a formal written response to every recommendation within three months, and a
            vote in full council on the most significant.

            Opposition councillors broadly welcomed the report but warned that some proposals would
            need money the council does not have. “A housing company is a fine idea,” said
            Councillor Graham Hurst, who leads the largest opposition group. “But someone has to
            lend it the money, and someone has to carry the risk if it goes wrong.”

            The process itself cost about £180,000, most of it spent on facilitators, childcare and
            the £150-a-weekend payments that organisers say made it possible for people on low
            incomes to take part.

            Members say the experience has changed them, whatever the council decides. Janet
            Collier, the retired magistrate, said she had expected to spend six weekends arguing
            with the landlord. “In the end he wrote half of the licensing proposal,” she said. “I
            did not see that coming, and I don’t think he did either.”
        """),
        "caption": (
            "Members of the Hollingford citizens’ assembly during a break in their final weekend."
        ),
        "credit": "Photograph: Newsboard / Kate Winslow",
        "palette": ("#264653", "#2a9d8f", "#e9c46a"),
    },
    {
        "section": "politics",
        "headline": (
            "Votes at 16: what happened when a small Alpine canton let teenagers choose its council"
        ),
        "standfirst": (
            "Turnout among first-time voters beat the canton’s average, confounding sceptics. But "
            "the young voters did not behave quite the way either camp had predicted."
        ),
        "dateline": "OBERTAL",
        "byline": "Lena Hoffmann, Europe correspondent",
        "body": _prose("""
            When the mountain canton of Obertal lowered its voting age to 16 two years ago, the
            debate followed a familiar script. Supporters said teenagers deserved a say in decisions
            that would shape their lives; opponents said they would not bother to vote, or would
            simply copy their parents. On Sunday, in the canton’s first election under the new
            rules, both sides turned out to be partly wrong.

            According to the cantonal statistics office, 61% of registered 16- and 17-year-olds
            cast a ballot — above the overall turnout of 54%, and far above the 38% recorded among
            voters aged 18 to 24. It is a small electorate: fewer than 2,300 people were newly
            eligible. But it is the first hard evidence in the canton that younger voters, once
            enfranchised, will use the vote.

            ## Why turnout was high

            Researchers who followed the campaign point to a simple explanation. Sixteen-year-olds
            in Obertal are still at school, and schools spent the months before polling day running
            debates, mock ballots and visits from candidates. By the time they turn 18, many young
            people have moved away for work or university and are no longer registered where they
            live.

            > “The habit of voting forms early or not at all,” said Dr Annika Brunner, a political
            scientist who surveyed 900 pupils before and after the election. “If your first
            election comes while you are still living at home and talking about it in class, you
            are much more likely to keep voting afterwards.”

            ## Not a landslide for anyone

            What the teenagers voted *for* is harder to pin down, since ballots are secret and the
            canton does not publish results by age. Exit surveys suggest that young voters split
            across the spectrum much as their parents did, with two twists: they were more likely
            to back candidates promising better rural bus services, and markedly less likely to
            vote for the incumbents of any party.

            The Green–Liberal list, which had campaigned hardest for the reform, gained one seat.
            The conservative Farmers’ and Citizens’ Party, which opposed it, held all of its own.
            “We were told this would be the end of us,” a party spokesman said on Monday. “Instead
            we had 17-year-olds handing out our leaflets.”

            Several other cantons are expected to debate similar proposals next year, and supporters
            will point to Obertal as proof of concept. Critics note that one election in a small,
            close-knit place proves little, and that turnout among first-time voters often falls
            back once the novelty fades.

            For Lea Zimmermann, 16, who voted in the school gym where she normally plays volleyball,
            the novelty was the point. “I was nervous I would do it wrong,” she said. “Then it took
            two minutes. I don’t know why adults make such a fuss about it.”
        """),
        "caption": (
            "First-time voters queue at a polling station set up in a school gym in Obertal."
        ),
        "credit": "Photograph: Newsboard / Matthias Keller",
        "palette": ("#e63946", "#f1faee", "#1d3557"),
    },
    {
        "section": "business",
        "headline": (
            "Arvenia’s central bank holds rates and warns that food, not fuel, is now the worry"
        ),
        "standfirst": (
            "The bank kept its main rate at 4.25% for a fourth meeting as a poor harvest and a "
            "weaker currency push up grocery bills. Markets had hoped for a cut before the new "
            "year."
        ),
        "dateline": "PORT HALDEN",
        "byline": "Jonas Richter, Economics editor",
        "body": _prose("""
            The National Bank of Arvenia left its benchmark interest rate unchanged at 4.25% on
            Wednesday, disappointing investors who had bet on a cut before the end of the year and
            sending the currency, the crown, briefly higher against the euro.

            The decision by the bank’s seven-member monetary policy committee was not unanimous.
            Five members voted to hold; two wanted a quarter-point cut, arguing that the economy
            was already slowing and that high borrowing costs were beginning to bite on small
            businesses and first-time buyers.

            ## A different kind of inflation

            For most of the past three years, the bank’s worries have centred on energy. Fuel and
            heating costs drove inflation to a peak of 9.8% before falling back. Now, the governor,
            Ilse Varga, says the problem has moved to the supermarket shelf.

            Food prices rose 7.1% in the year to October, driven by a drought-hit grain harvest,
            higher fertiliser costs and a weaker crown, which makes imported produce more
            expensive. Overall inflation stood at 3.9%, well above the bank’s 2% target.

            > “Households do not experience inflation as an index,” Ms Varga told reporters. “They
            experience it as the price of bread, milk and vegetables. Until those prices settle, we
            cannot be confident that the job is done.”

            The bank’s new forecasts suggest inflation will not return to target until the end of
            next year, six months later than it projected in the summer. Growth is expected to be
            a sluggish 0.8%.

            ## Who feels it

            About a third of Arvenian mortgages are on variable rates, so the decision matters far
            beyond financial markets. Estate agents in Port Halden report that buyers are
            increasingly *waiting to see* rather than committing, and the number of new mortgage
            approvals fell for a fifth consecutive month in October.

            Business groups were openly critical. The Arvenian Chamber of Commerce said the bank
            was “fighting the last war”, arguing that interest rates can do little about a bad
            harvest. Trade unions, by contrast, welcomed the bank’s focus on food, but said wages
            should be allowed to catch up before anyone talks about victory.

            Economists were divided on what comes next. “The door to a cut in February is open,
            but only a crack,” said Tomas Lindqvist, chief economist at a Port Halden investment
            bank. “They want to see two more months of data, and they want to see the crown hold
            its ground.”

            The committee meets again in seven weeks. In the meantime, Ms Varga had a message for
            anyone hoping for relief: “We would rather be a little late than have to reverse
            course. Credibility, once lost, is very expensive to buy back.”
        """),
        "caption": "The National Bank of Arvenia’s headquarters on the waterfront in Port Halden.",
        "credit": "Photograph: Newsboard / Oskar Weiss",
        "palette": ("#0b3d2e", "#c9a227", "#f2e8cf"),
    },
    {
        "section": "business",
        "headline": (
            "A family bicycle maker triples output as cargo bikes go from curiosity to "
            "school-run staple"
        ),
        "standfirst": (
            "Brouwer & Zonen, founded in a shed in 1958, is hiring for the first time in a "
            "generation. Its owners say the boom is real, but worry about cheap imports and a "
            "fickle subsidy."
        ),
        "dateline": "ZWOLLE",
        "byline": "Femke Jansen, Business reporter",
        "body": _prose("""
            For most of its history, Brouwer & Zonen made about 2,000 bicycles a year: sturdy,
            black, upright machines of the kind Dutch grandparents ride to the market. This year it
            will make more than 6,000, and almost two-thirds of them will have a large wooden box on
            the front.

            The cargo bike, once a niche product for enthusiasts and florists, has become one of
            the fastest-growing corners of the European bicycle trade. In the Netherlands, industry
            figures suggest roughly one in ten new bicycles sold to families now has some kind of
            cargo capacity, and most of those are electrically assisted.

            ## From shed to factory floor

            Brouwer & Zonen’s third-generation owner, Sanne Brouwer, took over from her father in
            2019 expecting to manage a slow decline. Instead, the company has moved into a former
            agricultural-machinery plant on the edge of Zwolle and taken on 34 new staff, many of
            them welders and wheel-builders trained in-house.

            > “My grandfather built bikes for people who had no car,” Ms Brouwer said, standing
            between racks of half-finished frames. “Now we build them for people who have a car and
            would rather leave it at home. It is the same bike, really — just with a very big
            basket.”

            The company sells most of its output in the Netherlands, Belgium and Germany, mainly
            through independent bike shops rather than online. Its best-selling model, the
            *Bakker*, costs a little over €4,000 with a motor — more than some second-hand cars.

            ## The risks

            The boom has brought its own worries. Ms Brouwer lists three:

            - **Imports**: cheaper cargo bikes assembled in Asia and eastern Europe are arriving in
            growing numbers, some of them of uncertain quality;
            - **Subsidies**: several Dutch and German cities offer grants of up to €1,000 towards a
            cargo bike, but these are reviewed every year and can vanish overnight;
            - **Parts**: batteries and motors still come from a handful of suppliers, and
            shortages two years ago left hundreds of bikes waiting for components.

            There is also the question of how long the fashion will last. Some analysts point to
            the pandemic cycling boom, which was followed by a painful glut of unsold stock across
            the industry.

            Ms Brouwer says she is planning for a plateau, not a bust. The new factory was leased,
            not bought, and the firm has resisted offers from investors who wanted it to grow
            faster. “We have been here since 1958,” she said. “I would like us to be here in 2058.
            That is a different plan from getting very big very quickly.”

            Outside, a line of parents was waiting to collect repaired bikes before the school run.
            One of them, Joost Meijer, had two children and a dog in his. “It replaced our second
            car,” he said. “The dog prefers it.”
        """),
        "caption": "A welder joins cargo-bike frames at the Brouwer & Zonen workshop in Zwolle.",
        "credit": "Photograph: Newsboard / Ruben Smit",
        "palette": ("#ffb703", "#219ebc", "#023047"),
    },
    {
        "section": "science",
        "headline": (
            "Fifty years of stakes and snow pits show an Alpine glacier melting twice as fast "
            "as in the 1990s"
        ),
        "standfirst": (
            "A team that has measured the Sauvaz glacier by hand since 1976 has published its full "
            "record. The numbers are stark — and the old-fashioned method is exactly why "
            "scientists trust them."
        ),
        "dateline": "SION",
        "byline": "Inès Berthod, Science correspondent",
        "body": _prose("""
            Twice a year since 1976, a small team has hauled drills, shovels and a box of wooden
            stakes up to the Sauvaz glacier, a tongue of ice in the western Alps that most hikers
            never see. In spring they dig pits to measure how much snow fell over the winter; in
            autumn they read the stakes to see how much ice melted over the summer.

            This week, the team published the complete 50-year record in a peer-reviewed journal.
            It shows that the glacier lost an average of 0.6 metres of ice thickness a year in the
            1990s, and 1.3 metres a year over the past decade. In the two hottest summers on
            record, losses exceeded three metres.

            ## Why hand measurements still matter

            Satellites can now estimate the volume of thousands of glaciers at once, so why keep
            sending people up with shovels? Because, says the study’s lead author, Dr Valérie
            Rouiller, satellites need something on the ground to check themselves against.

            > “A satellite tells you the surface went down,” she said. “It does not tell you
            whether that was ice melting, snow compacting or a measurement error. Our stakes are
            the ground truth. Without records like this, the global numbers would be much less
            certain.”

            Only a few dozen glaciers worldwide have continuous records of this kind stretching
            back half a century, and several of those are now disappearing faster than they can
            be measured. On Sauvaz, the team has had to re-drill stakes every season because the
            old ones melt out and topple over.

            ## A changing glacier

            The data also show *how* the glacier is changing, not only how fast:

            - the snow line, above which winter snow survives the summer, has climbed about 300
            metres since the 1970s;
            - the glacier has split into two separate bodies of ice, connected only in winter;
            - dark dust and rock debris now cover a quarter of the lower tongue, absorbing sunlight
            and speeding up melt.

            Models based on the record suggest that Sauvaz will have lost most of its remaining
            ice by the 2060s under current warming trends, and could survive only as scattered
            fragments in shaded hollows.

            For the valleys below, that matters. Meltwater from the glacier feeds streams used for
            irrigation and a small hydroelectric plant, and late-summer flows are already falling.

            Dr Rouiller, who first climbed to Sauvaz as a student volunteer in 1998, admits the
            work has become emotionally harder. “You measure a place for 25 years and you grow
            attached to it,” she said. “Now every autumn I know the number will be bad. But that is
            exactly why someone has to go up and write it down.”
        """),
        "caption": "Researchers read a measurement stake on the Sauvaz glacier in late September.",
        "credit": "Photograph: Newsboard / Luc Favre",
        "palette": ("#caf0f8", "#0077b6", "#f8fbff"),
    },
    {
        "section": "science",
        "headline": "Copper from a Bronze Age shipwreck points to a trade route nobody expected",
        "standfirst": (
            "Chemical tests on ingots raised from a wreck off southern Turkey suggest the metal "
            "came from mines more than 2,000 kilometres away. Archaeologists are divided on what "
            "that means."
        ),
        "dateline": "BODRUM",
        "byline": "Deniz Aydın, Science reporter",
        "body": _prose("""
            For more than three thousand years, the ship lay on a sandy slope 40 metres down, its
            wooden hull long since eaten away, its cargo of copper ingots slowly turning green. When
            divers first surveyed the site, off a rocky headland west of Bodrum, they assumed they
            knew where the metal had come from: Cyprus, the great copper island of the eastern
            Mediterranean.

            They were only partly right. A study published on Tuesday reports that chemical
            “fingerprints” in about a third of the ingots do not match Cypriot ores at all. Instead,
            they most closely resemble deposits in the mountains of the southern Caucasus — more
            than 2,000 kilometres away by land.

            ## Reading the metal

            The team, led by Dr Selin Karaca, measured the ratios of lead isotopes trapped in the
            copper, which vary from one ore deposit to another and survive smelting largely intact.
            They compared the results with a database of thousands of samples from ancient mines
            across Europe and western Asia.

            > “We ran the analysis three times because we did not believe it,” Dr Karaca said. “The
            Cypriot ingots look exactly as you would expect. The others simply do not belong in
            the Mediterranean.”

            If the interpretation holds, it suggests that copper was moving overland or by river
            from the Caucasus to the coast and then being loaded alongside Cypriot metal, perhaps at
            a port on the Levantine coast. Such long-distance exchange is known from texts of the
            period, but physical evidence has been thin.

            ## Not everyone is convinced

            Other specialists urge caution. Isotope databases are incomplete, and some ancient mines
            have never been sampled, so a “best match” may simply reflect gaps in the reference
            data. Recycling is another complication: bronze objects were often melted down and
            mixed, blurring their original signatures.

            Professor Hamid Rahimi, an archaeometallurgist who was not involved in the study, called
            the findings *intriguing but not yet conclusive*. “What I would like to see is the same
            signature turning up at a port or a workshop on the route,” he said. “One ship is a
            data point. Three sites would be a pattern.”

            The wreck itself still has secrets. Divers have so far recovered fewer than half of its
            estimated 200 ingots, along with pottery, fishing weights and a small stone anchor.
            Excavation resumes next summer, and the team hopes that organic remains — seeds, resin
            or textile fragments — could be dated more precisely than the metal.

            For Dr Karaca, the larger point is already clear. “We like to draw ancient trade as
            neat lines between famous places,” she said. “The real picture was messier, more
            connected and far more surprising than that.”
        """),
        "caption": "A diver photographs copper ingots on the seabed off the Bodrum peninsula.",
        "credit": "Photograph: Newsboard / Emre Çelik",
        "palette": ("#0a9396", "#005f73", "#ee9b00"),
    },
    {
        "section": "technology",
        "headline": (
            "A hijacked account, six hours and 40,000 downloads: inside an open-source "
            "supply-chain attack"
        ),
        "standfirst": (
            "A malicious update to quillparse, a small but widely used parsing library, stole "
            "credentials from build servers before volunteers caught it. Its maintainer says he "
            "had been “running on fumes” for years."
        ),
        "dateline": "BERLIN",
        "byline": "Priya Raman, Technology correspondent",
        "body": _prose("""
            At 02.14 on a Saturday morning, Berlin time, a new version of quillparse appeared on
            the public package registry. The library, which turns configuration files into data
            that programs can use, is only a few thousand lines long. But it is a dependency of
            hundreds of other projects, and through them it ends up inside software used by banks,
            airlines and hospitals.

            Version 3.4.1 looked routine. The release notes mentioned “minor performance fixes”.
            Hidden inside was a few dozen lines of code that, when the library was installed on a
            build server, collected environment variables — often including passwords and access
            tokens — and sent them to a server abroad.

            ## How it was caught

            The malicious release was downloaded roughly 40,000 times before it was pulled, just
            over six hours later. It was spotted by Agnieszka Wójcik, a volunteer who runs an
            automated tool that compares each new package release with the source code published
            on the project’s repository. The two did not match.

            > “The code in the package was not the code in the repository,” she said. “That is
            *almost never* innocent. I checked it with a coffee in one hand and by the time I had
            finished the coffee I was writing to the registry’s security team.”

            Investigators later found that the maintainer’s account had been taken over using a
            password reused from an unrelated website that was breached years ago. The account did
            not have two-factor authentication switched on.

            ## One person, holding up a lot

            The maintainer, Henrik Lund, a software developer in Aarhus, has looked after the
            library alone, unpaid, since 2016. In a frank post published on Monday, he apologised
            and described years of feature requests, bug reports and demands from companies that
            had never contributed code or money.

            “I was running on fumes,” he wrote. “I should have turned on two-factor years ago. I
            also should not have been the only person able to publish a package that half the
            industry depends on.”

            Security researchers say the incident follows a familiar pattern, and that the fixes are
            well known, if unevenly adopted:

            - publish packages from automated build pipelines rather than personal laptops;
            - require two-factor authentication for maintainers of popular packages;
            - pin exact versions and verify hashes, for example with `pip install --require-hashes`;
            - fund the maintainers whose work everyone relies on.

            The registry has since made two-factor authentication mandatory for the most downloaded
            packages, and a foundation has offered Mr Lund a grant to bring in two co-maintainers.

            Companies that installed the bad version are being told to rotate every credential their
            build servers could see. For some, that means hundreds of keys. “It is a miserable week
            of work,” Ms Wójcik said. “But it is a much better week than the one you have if you
            don’t.”
        """),
        "caption": "Code from the compromised release, highlighted by the volunteer who found it.",
        "credit": "Photograph: Newsboard / Jan Kowalski",
        "palette": ("#10002b", "#5a189a", "#c77dff"),
    },
    {
        "section": "technology",
        "headline": (
            "The villagers who dug their own trenches and now have faster internet than the city"
        ),
        "standfirst": (
            "Tired of waiting for a telecoms company that never came, 14 hamlets in the mountains "
            "of northern Spain formed a cooperative and laid 90 kilometres of fibre themselves."
        ),
        "dateline": "SOTOBRAÑA",
        "byline": "Javier Morales in Asturias",
        "body": _prose("""
            Five years ago, the fastest way to send a large file from Sotobraña was to put it on a
            memory stick and drive it down the valley. Mobile signal came and went with the
            weather. The nearest fixed broadband was in a town 25 kilometres away, and the national
            operators had said, more than once, that laying cable up the valley would never pay.

            Today the village’s 180 residents have a symmetrical gigabit connection, faster than
            most homes in Madrid, for €30 a month. They built it themselves.

            ## Picks, shovels and a spreadsheet

            The cooperative, Red Valle, was founded in a bar in 2021 by a retired telecoms engineer,
            a farmer and the owner of a rural guesthouse who was losing bookings because guests
            could not work remotely. They raised money from members, a regional rural-development
            fund and a loan from a credit union, then set about the work the big companies would not
            do.

            Much of the digging was done by volunteers at weekends, following the lines of existing
            farm tracks and stone walls to keep costs down. Landowners granted access for free in
            exchange for a connection. A professional crew was hired only for the splicing and for
            the hardest stretch, a gorge where the cable had to be bolted to the rock face.

            > “Everyone told us it was impossible,” said Covadonga Fernández, the farmer, who now
            chairs the cooperative. “It turns out that *impossible* mostly meant *not profitable
            for someone in an office a long way from here*. For us it was the difference between
            staying and leaving.”

            ## What it has changed

            The effects are already visible. Three families have moved to the valley in the past
            year, including a graphic designer and a veterinary nurse who now does remote
            consultations for farmers. The village school, which had been threatened with closure,
            has nine more pupils. The guesthouse is fully booked most weekends, much of it with
            people who work from their rooms during the week.

            There are limits to the model. The cooperative depends on a handful of skilled
            volunteers, and repairs after winter storms can take days. Its wholesale link to the
            wider internet still runs through a commercial operator, which sets the price. And the
            regional grant that paid for a third of the network was a one-off.

            Other valleys have been asking for advice. Red Valle now runs a monthly open evening —
            part technical workshop, part pep talk — and has published its costings, contracts and
            trench maps online so that others can copy them.

            “We did not do this because we love technology,” said Ms Fernández. “We did it because
            our children kept telling us there was nothing here for them. Now there is a reason to
            stay. That is worth a lot of digging.”
        """),
        "caption": "Volunteers lay fibre-optic cable along a farm track above Sotobraña.",
        "credit": "Photograph: Newsboard / Marcos Villa",
        "palette": ("#606c38", "#283618", "#fefae0"),
    },
    {
        "section": "climate",
        "headline": (
            "On the hottest day of summer, Seville’s shadiest streets were 9C cooler. "
            "The city wants more of them"
        ),
        "standfirst": (
            "A network of cheap sensors has mapped, street by street, how much difference a "
            "mature tree makes in a heatwave. The answer is changing how the city spends its money."
        ),
        "dateline": "SEVILLE",
        "byline": "Lucía Ortega, Climate correspondent",
        "body": _prose("""
            At four o’clock on the afternoon of 11 July, a sensor bolted to a lamp post on a
            treeless avenue in the east of Seville recorded a surface temperature of 61C on the
            pavement below. Less than a kilometre away, on a narrow street shaded by a double row of
            old orange and plane trees, another sensor recorded 44C. The air temperature differed
            by almost 9C.

            The readings come from a network of 400 low-cost sensors installed across the city
            last year by a university team working with neighbourhood associations. Their
            findings, presented to the city council this week, are the most detailed picture yet of
            how heat collects in a southern European city — and of how much trees help.

            ## What the sensors found

            The study compared streets of similar width, orientation and building height that
            differed mainly in their canopy cover. On the ten hottest days of the summer:

            - streets with more than 40% canopy cover were on average 5.8C cooler in the afternoon
            than streets with almost none;
            - the benefit was largest in the hours when most people walk to and from work and
            school;
            - young, newly planted trees made little difference for their first five to eight years.

            That last finding matters, says the study’s coordinator, Dr Pilar Navarro. “A tree is
            not air conditioning you can switch on,” she said. “It is an investment that starts
            paying back slowly and then pays back enormously. Cutting down one large tree and
            planting three small ones is not a like-for-like swap.”

            > “We have spent decades treating trees as decoration,” said Manuel Rubio, president of
            a residents’ association in one of the hottest districts. “These numbers show they are
            infrastructure. They are as important as the water pipes.”

            ## A change in spending

            The council has responded by reshaping its urban greening budget. Instead of planting
            wherever space is easiest, it will prioritise the streets the sensors identified as the
            hottest, and spend more on *protecting* existing mature trees — deeper soil, bigger
            pits, and underground irrigation that captures rainwater from roofs.

            Not everyone is pleased. Some shopkeepers worry about falling leaves, lost parking and
            roots lifting paving stones. Engineers point out that many of the hottest streets sit
            above a dense tangle of cables and pipes, leaving little room for roots.

            Climate scientists say Seville’s experience will become relevant much further north.
            Cities in central Europe that rarely worried about heat are now facing summers like
            those the south has known for generations.

            For now, residents are voting with their feet. On the sensors’ hottest afternoons, the
            shaded streets were full of people walking slowly. The avenue in the east was empty.
        """),
        "caption": (
            "Plane trees shade a street in the Triana district of Seville during July’s heatwave."
        ),
        "credit": "Photograph: Newsboard / Rocío Campos",
        "palette": ("#f4a261", "#e76f51", "#2a9d8f"),
    },
    {
        "section": "climate",
        "headline": (
            "Paid to flood their own fields, Frisian dairy farmers watch the peat — and the geese "
            "— come back"
        ),
        "standfirst": (
            "A scheme that pays farmers to raise the water table on drained peatland has cut "
            "emissions faster than expected. Not everyone in the village is convinced it is "
            "farming."
        ),
        "dateline": "LEEUWARDEN",
        "byline": "Daan Visser, Environment reporter",
        "body": _prose("""
            For four generations, the Hoekstra family has pumped water out of its fields. The land
            north of Leeuwarden is peat — the compressed remains of ancient marsh plants — and it
            only became good dairy pasture after centuries of ditches, dykes and windmills drained
            it dry enough to carry cows.

            Three years ago, Sietske Hoekstra started letting the water back in.

            Her farm is one of 42 taking part in a provincial scheme that pays farmers to raise the
            water table on drained peatland, slowing the decay of the peat, which releases carbon
            dioxide as it dries out and oxidises. In the Netherlands, drained peat soils are
            responsible for several million tonnes of emissions a year, and the land is sinking by
            up to a centimetre annually as the peat disappears.

            ## What the first results show

            Monitoring published this month suggests the scheme is working faster than its
            designers expected. On fields where the water table was raised to within 20 centimetres
            of the surface, emissions from the soil fell by roughly half within two years. The
            ground has almost stopped sinking.

            > “I was sure it would take ten years before we saw anything,” said Dr Maarten de
            Boer, the hydrologist who leads the monitoring. “Peat responds to water very quickly.
            Stop drying it out, and it stops disappearing.”

            There have been side effects that nobody put in the contracts. Meadow birds such as
            black-tailed godwits and lapwings, which had all but vanished from the area, have
            returned in numbers not seen since the 1980s. So have geese, by the thousand — which is
            less popular, since they eat the grass.

            ## Not quite farming?

            The wetter fields cannot support the same number of cows. Ms Hoekstra has cut her herd
            from 110 to 70 and sold her heaviest machinery, which now sinks into the soft ground.
            The scheme makes up the difference in income, for now, with payments guaranteed for
            twelve years.

            Some neighbours are sceptical. A farmer who declined to take part, and asked not to be
            named, said the province was “paying people to give up on being farmers”. Others worry
            about what happens when the contracts end, and whether a future government will honour
            them.

            Researchers are experimenting with crops that thrive in wet ground — reeds for building
            materials, cattail for insulation, *sphagnum* moss for horticulture — in the hope that
            the land can earn its keep without subsidies. None yet comes close to the income from
            milk.

            Ms Hoekstra admits she has mixed feelings. “My grandfather would think I had lost my
            mind,” she said, watching a flock of godwits settle on a flooded corner of her land.
            “But he also never had to watch his fields sink. I want there to be a farm here for my
            children. This might be the only way there is one.”
        """),
        "caption": "Black-tailed godwits on a rewetted meadow north of Leeuwarden.",
        "credit": "Photograph: Newsboard / Wietske Bosma",
        "palette": ("#8ecae6", "#4f772d", "#f6f4d2"),
    },
    {
        "section": "sport",
        "headline": (
            "Bought for £1 and a mountain of debt, Kilbarran Athletic is now owned by 3,400 of "
            "its fans"
        ),
        "standfirst": (
            "Two years after the club came within a week of folding, supporters have completed a "
            "community buyout. Now comes the hard part: winning matches without a rich benefactor."
        ),
        "dateline": "KILBARRAN",
        "byline": "Callum MacLeod, Sport reporter",
        "body": _prose("""
            The paperwork was signed on a trestle table in the club bar on Tuesday night, beneath a
            faded photograph of the 1971 cup-winning side. When the lawyer confirmed that the
            transfer of shares was complete, Kilbarran Athletic became the property of 3,412 of its
            own supporters, and somebody started singing.

            It has been a long road. Two years ago the club, founded in 1884 and a fixture of the
            Scottish lower leagues for most of its existence, was days from liquidation. Its
            previous owner, a property developer, had borrowed heavily against the ground, stopped
            paying the players in the spring, and then stopped answering the phone.

            ## The £1 deal

            The supporters’ trust, formed in a church hall in the weeks that followed, struck a deal
            to buy the club for £1 and take on £1.1m of debt, much of it owed to the tax
            authorities. Since then it has raised money in every way it could think of: a community
            share offer, a sponsored walk around all 42 grounds in the Scottish league, and a
            calendar of players posing with local businesses that sold out twice.

            Members each get one vote, regardless of how much they paid for their shares, which
            started at £25. The trust has written into the club’s rules that the ground can never
            be sold or borrowed against without the approval of two-thirds of the membership.

            > “The club was nearly taken away from us by one person making bad decisions,” said the
            trust’s chair, Morag Fraser, a primary-school head teacher. “We have made sure that can
            never happen again. If this club fails now, it will fail together.”

            ## Life without a benefactor

            The question now is whether a fan-owned club can compete. Kilbarran’s playing budget
            this season is about a third of that of the league leaders, several of whom are backed
            by wealthy owners. The manager, Stevie Rennie, a former player who took the job when
            nobody else would, says the team has adjusted its ambitions.

            “We are not going to buy our way anywhere,” he said. “We will develop our own players,
            sell the good ones for a fair price and try to be the club that young lads want to join.
            That takes patience, and patience is one thing our fans have in spades.”

            There are early signs of progress. Average attendance has risen from 640 to more than
            1,100, the youth academy has reopened, and the club shop is staffed by volunteers every
            Saturday. The women’s team, relaunched last year, now draws crowds of several hundred.

            Football finance experts caution that enthusiasm tends to fade when results do not
            follow, and that volunteer energy is a finite resource. But in Kilbarran, on a cold
            Tuesday night, nobody was in the mood for caution. “It’s ours,” said one member, a
            pensioner in a scarf older than most of the squad. “*Ours.* I never thought I’d say
            it.”
        """),
        "caption": "Supporters celebrate in the club bar after the buyout was completed.",
        "credit": "Photograph: Newsboard / Iain Buchanan",
        "palette": ("#1b4332", "#40916c", "#d8f3dc"),
    },
    {
        "section": "sport",
        "headline": (
            "A 12-year-old from Chennai beats three grandmasters to win a major open chess "
            "tournament"
        ),
        "standfirst": (
            "Meera Subramanian, who learned the game from her grandfather on a magnetic travel "
            "set, finished a full point clear of a field that included eleven grandmasters."
        ),
        "dateline": "CHENNAI",
        "byline": "Arjun Iyer, Chess correspondent",
        "body": _prose("""
            The final game lasted four hours and 58 moves. When her opponent, a grandmaster more
            than three times her age, finally reached across the board to shake hands, Meera
            Subramanian looked first at her mother in the front row of the spectators, then down at
            her scoresheet, as if to check that it was really over.

            With that win, the 12-year-old from Chennai took first place in the city’s
            international open with 8 points from 9 games, a full point ahead of the field. Along
            the way she beat three grandmasters and drew with two more, a result that, according
            to the tournament’s arbiters, was worth a rating performance well above 2,600.

            ## A magnetic set and a grandfather

            Meera’s introduction to chess was unglamorous. Her grandfather, a retired railway
            clerk, taught her on a battered magnetic travel set during long train journeys to visit
            relatives. By the age of seven she was beating him; by nine she had a coach and a
            national age-group title.

            Her coach, Ramesh Krishnan, describes a player who calculates deeply but is happiest in
            quiet, strategic positions — an unusual style for a young player, many of whom prefer
            sharp tactical fights.

            > “Most children want to attack the king in every game,” he said. “Meera is happy to
            improve a bishop, wait, and let her opponent make the mistake. Grandmasters are not used
            to a 12-year-old being more patient than they are.”

            ## The Chennai effect

            The result adds to a long tradition of strong players from the city, which has some of
            the world’s busiest chess clubs and a school system that, in places, teaches the game
            during lessons. Organisers say entries to junior tournaments in the state have roughly
            doubled in five years.

            Success at this level brings its own pressures. Meera’s family has so far turned down
            sponsorship deals, and her parents say school still comes first. She plays no more than
            one serious tournament a month, and her coach insists on at least one week off the
            board after each.

            Experienced players and coaches urge caution about the word *prodigy*. The jump from
            strong junior to established grandmaster is hard, and many talented young players stall
            in their late teens. Meera still needs two more qualifying results, known as norms,
            before she can be awarded the grandmaster title herself.

            None of that seemed to weigh on her at the prize-giving. Asked what she would do with
            her winnings, she thought for a moment.

            “Buy my grandfather a proper board,” she said. “The magnetic one is missing a rook.”
        """),
        "caption": "Meera Subramanian during her final-round game in Chennai on Sunday.",
        "credit": "Photograph: Newsboard / Kavya Menon",
        "palette": ("#22223b", "#4a4e69", "#f2e9e4"),
    },
    {
        "section": "culture",
        "headline": (
            "A city museum sends 37 carved objects home, and lets the islanders rewrite the "
            "gallery that held them"
        ),
        "standfirst": (
            "The Ashcombe Museum has returned ceremonial carvings taken from the Pacific island of "
            "Motuleva in 1889. The handover came with an unusual condition attached."
        ),
        "dateline": "ASHCOMBE",
        "byline": "Siobhán O'Neill, Arts correspondent",
        "body": _prose("""
            The crates were packed in silence. Inside, wrapped in tissue and cradled in custom foam,
            were 37 carved wooden objects — house posts, feast bowls, a canoe prow, a set of
            ceremonial paddles — that had been in the Ashcombe Museum’s collection since a naval
            officer shipped them back from the island of Motuleva in 1889.

            On Friday they began their journey home, accompanied by a delegation of five elders and
            two young carvers from the island, who had spent a week in the museum’s storerooms
            identifying each piece and recording what they knew of its history.

            ## How the objects were taken

            The museum’s own archive tells an uncomfortable story. Letters from the officer who
            collected the carvings describe them as “gifts” from island chiefs. But the dates
            match a punitive expedition in which sailors burned two villages after a dispute over a
            trading post. A review commissioned by the museum concluded last year that the objects
            were “almost certainly taken under duress”.

            > “We did not come to shout at anyone,” said Tevita Moala, the senior elder. “We came to
            bring our ancestors home. These are not art to us. Some of them have names, and they
            have been away from their families for a very long time.”

            The museum’s trustees voted unanimously to return the entire collection from
            Motuleva, rather than a selection, a decision its director, Dr Helen Carradine, called
            “the easy part of a very hard conversation”.

            ## An empty gallery — for now

            The return came with an unusual condition, proposed by the islanders themselves. The
            gallery that held the carvings will not be filled with other objects. Instead, it will
            be redesigned over the next two years by a team from Motuleva, who will decide what
            story it tells and how.

            Early plans include recordings of songs associated with the carvings, a video link to
            the island’s new cultural centre, and a wall on which the museum sets out, in plain
            language, how its collection was acquired. Some of it, Dr Carradine admits, will make
            difficult reading for visitors and staff alike.

            Critics of restitution argue that returns like this could empty museums of their most
            important collections. Supporters reply that most returns so far have been small, and
            that a museum which is honest about its history is a more interesting place to visit.

            In Ashcombe, the public response has been mostly warm. A book of messages left in the
            gallery during its final week filled three volumes. One, written in a child’s careful
            handwriting, read simply: *Safe journey home.*

            The carvings are expected to arrive on Motuleva in January, where they will be welcomed
            with a ceremony lasting three days. The museum’s director has been invited. “I will go,”
            she said, “and I will listen.”
        """),
        "caption": "Elders from Motuleva with a carved house post in the Ashcombe Museum’s stores.",
        "credit": "Photograph: Newsboard / Grace Ellison",
        "palette": ("#7f5539", "#ddb892", "#283618"),
    },
    {
        "section": "culture",
        "headline": "In a former bus depot, a volunteer-run cinema marks 25 years of full houses",
        "standfirst": (
            "The Depot has no paid staff, 140 seats and a waiting list of would-be projectionists. "
            "Its founders say the secret is simple: good films, cheap tickets and very good cake."
        ),
        "dateline": "BALLYKEEL",
        "byline": "Niamh Byrne, Culture writer",
        "body": _prose("""
            Every Friday at half past six, a queue forms outside a low brick building at the end of
            Quay Street. Inside, where buses were once washed and repaired, there is a box office
            made from an old ticket kiosk, a café counter groaning with homemade cake, and a
            140-seat cinema with red seats rescued from a picture house that closed in the 1990s.

            This month The Depot celebrates its 25th birthday. In that time it has shown more than
            3,000 films, from Hollywood blockbusters to Iranian documentaries, and it has done so
            without a single paid member of staff.

            ## How it started

            The cinema was the idea of Eileen Duffy, then a librarian, and her neighbour Francis
            Quinn, a retired electrician, who were tired of the 40-minute drive to the nearest
            multiplex. The town council owned the empty depot and agreed to lease it to them for a
            nominal rent. Volunteers spent a year clearing oil stains, building a projection booth
            and installing the second-hand seats.

            > “People said we would last six months,” said Ms Duffy, now 78 and still on the
            Friday rota. “We told them that if we failed, at least we would have had six months of
            good films. Nobody expected twenty-five years.”

            Today the cinema has about 160 volunteers, from teenagers who run the café to retired
            engineers who look after the digital projector installed in 2013. There is a waiting
            list to train as a projectionist. Tickets cost €7, or €4 for students and pensioners,
            and the cinema has turned a small profit almost every year.

            ## More than a cinema

            The Depot has become something close to a town hall. It hosts a film club for people
            with dementia and their carers, relaxed screenings for autistic children, and a
            Saturday-morning session where local primary schools take turns to choose the film.
            When the town flooded in 2017, it served as an emergency shelter for a week.

            Volunteers say the programme is deliberately eclectic. A typical month might include a
            new animated feature, a restored silent classic with live piano, a subtitled drama and
            a documentary about a local subject, followed by a *very* long question-and-answer
            session.

            There are challenges. The building needs a new roof, the lease is up for renewal in
            three years, and the volunteers, like those in many community groups, are getting
            older. The anniversary celebrations include a fundraising appeal and a push to recruit
            younger members.

            On Friday, after a screening of a 1950s comedy that had the audience helpless with
            laughter, Mr Quinn stood at the back with a slice of lemon drizzle. “The films are the
            excuse,” he said. “What people really come for is each other.”
        """),
        "caption": "The Friday evening queue outside The Depot on Quay Street in Ballykeel.",
        "credit": "Photograph: Newsboard / Ciara Nolan",
        "palette": ("#3d0c11", "#d4a373", "#faedcd"),
    },
]


# --- Names -------------------------------------------------------------------------------------

# First and last names grouped by language or region, so that most names sound like real ones;
# a share of names mixes two groups, as plenty of real names do.
_NAME_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("Ana", "João", "Inês", "Tiago", "Beatriz", "Rui", "Mariana"),
        ("Ribeiro", "Carvalho", "Ferreira", "Almeida", "Sousa", "Costa", "Gonçalves"),
    ),
    (
        ("José", "Lucía", "Mateo", "Sofía", "Javier", "Camila", "Andrés"),
        ("Álvarez", "García", "Morales", "Fernández", "Herrera", "Núñez", "Ortega"),
    ),
    (
        ("Kwame", "Ama", "Chidi", "Ngozi", "Kofi", "Adaeze", "Tunde"),
        ("Mensah", "Okafor", "Adeyemi", "Boateng", "Owusu", "Eze", "Bello"),
    ),
    (
        ("Wanjiru", "Baraka", "Achieng", "Juma", "Thandiwe", "Sipho", "Lerato"),
        ("Kamau", "Otieno", "Mwangi", "Odhiambo", "Ndlovu", "Dlamini", "Khumalo"),
    ),
    (
        ("Yuki", "Haruto", "Aiko", "Kenji", "Sakura"),
        ("Tanaka", "Sato", "Watanabe", "Nakamura", "Kobayashi"),
    ),
    (
        ("Wei", "Mei", "Jia", "Min-jun", "Seo-yeon", "Linh", "Minh"),
        ("Chen", "Zhang", "Liu", "Kim", "Park", "Nguyễn", "Trần"),
    ),
    (
        ("Siobhán", "Ciarán", "Aoife", "Niamh", "Oisín", "Eilidh", "Callum"),
        ("O'Neill", "Murphy", "Byrne", "Walsh", "MacLeod", "Fraser", "Ó Briain"),
    ),
    (
        ("Łukasz", "Katarzyna", "Agnieszka", "Tomasz", "Zofia", "Michał", "Małgorzata"),
        ("Nowak", "Kowalczyk", "Wójcik", "Mazur", "Krawczyk", "Kaczmarek", "Dudek"),
    ),
    (
        ("Priya", "Arjun", "Rahul", "Ananya", "Farhan", "Sunita", "Vikram"),
        ("Raman", "Iyer", "Sharma", "Patel", "Chowdhury", "Nair", "Reddy"),
    ),
    (
        ("Omar", "Fatima", "Youssef", "Leila", "Karim", "Elif", "Emre", "Zeynep"),
        ("Haddad", "Mansour", "El Amrani", "Khalil", "Yılmaz", "Demir", "Şahin"),
    ),
    (
        ("Björn", "Ingrid", "Søren", "Astrid", "Jonas", "Lena", "Daan", "Femke"),
        ("Andersson", "Lindqvist", "Sørensen", "Müller", "Becker", "de Vries", "Bakker"),
    ),
    (
        ("Chloé", "Amélie", "François", "Théo", "Giulia", "Marco", "Francesca", "Luca"),
        ("Dubois", "Lefèvre", "Moreau", "Rossi", "Bianchi", "Esposito", "Conti"),
    ),
    (
        ("Grace", "Jack", "Hannah", "Marcus", "Olivia", "Daniel", "Sam", "Rosa"),
        ("Smith", "Johnson", "Walker", "Robinson", "Taylor", "Brooks", "Bell", "Hughes"),
    ),
)
# Short words and phrases are packed several to a line here and below.
# fmt: off
_HANDLE_ADJECTIVES = (
    "kiwi", "old", "quiet", "northern", "grumpy", "curious", "night", "urban", "rural", "tired",
    "sceptical", "lapsed", "coastal", "amateur", "retired", "rainy", "midlands", "weary", "hopeful",
)
_HANDLE_NOUNS = (
    "reader", "sailor", "owl", "gardener", "cyclist", "commuter", "pedant", "teacher", "lurker",
    "observer", "librarian", "economist", "heron", "badger", "walker", "engineer", "voter", "cook",
)
_PLACES = (
    "Porto", "Leeds", "Tromsø", "Kraków", "Pune", "Nairobi", "Montréal", "Zürich", "São Paulo",
    "Malmö", "Besançon", "Cork", "Glasgow", "Lyon", "Utrecht", "Bologna", "Valencia", "Accra",
    "Melbourne", "Wellington", "Osaka", "Busan", "Hamburg", "Gdańsk", "Izmir", "Córdoba",
)
# fmt: on


def person_name(rng: Random) -> str:
    """A reader's name as typed into a form: usually "First Last", now and then a handle."""
    roll = rng.random()
    if roll < 0.1:
        adjective, noun = rng.choice(_HANDLE_ADJECTIVES), rng.choice(_HANDLE_NOUNS)
        style = rng.randrange(4)
        if style == 0:
            return f"{adjective}_{noun}"
        if style == 1:
            return f"{adjective.title()} {noun.title()}"
        if style == 2:
            return f"{adjective}{noun}{rng.randint(1, 99)}"
        return f"{noun.title()} in {rng.choice(_PLACES)}"
    firsts, lasts = rng.choice(_NAME_GROUPS)
    if roll > 0.88:
        lasts = rng.choice(_NAME_GROUPS)[1]
    return f"{rng.choice(firsts)} {rng.choice(lasts)}"


# Letters that Unicode does not decompose into an ASCII base letter plus accents.
_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "ß": "ss", "đ": "d", "ı": "i", "ð": "d"}
)


def username_for(name: str, rng: Random) -> str:
    """An ASCII username from ``name`` plus a number; Django's validator accepts it as it is."""
    folded = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSABLE))
    words = [
        "".join(char for char in word if char.isalnum() or char == "_")
        for word in folded.encode("ascii", "ignore").decode().lower().split()
    ]
    words = [word for word in words if word] or ["reader"]
    first, last = words[0][:20], "".join(words[1:])[:20]
    if last:
        joined = f"{first}.{last}", f"{first}_{last}", f"{first}{last}", f"{first[0]}{last}"
        base = rng.choice((*joined, f"{last}.{first[0]}", f"{first}{last[0]}"))
    else:
        base = first
    return f"{base}{rng.randint(2, 9999)}"


# --- Comments ----------------------------------------------------------------------------------

# fmt: off
_REACTIONS = (
    "This.", "Source?", "Exactly.", "Well said.", "Ha!", "Spot on.", "Citation needed.", "Nope.",
    "Yes!", "Bravo.", "Oof.", "100%.", "Wow.", "Not again…", "Interesting.", "Great read.", "👏",
    "Hear, hear.", "Hmm.", "Sad but true.", "Brilliant piece.", "Finally.", "*Sigh.*", "**This.**",
    "Thank you for this.", "Bookmarked.", "Big if true.", "Not surprised.", "Say it louder.",
    "Good.", "Lovely story. 🙂", "About time.", "What a read.", "Depressing.", "Ugh.",
)
_REPLY_REACTIONS = (
    "Came here to say this.", "Seconded.", "+1", "Can confirm.", "Touché.", "Same here.", "Link?",
    "lol", "Ha, fair.", "This, exactly.", "Beautifully put.", "Well, quite.", "Hard agree.",
    "Nah.", "Says who?", "Thanks, didn’t know that.", "😂", "Ouch.", "Fair enough.",
)
_REPLY_OPENERS = (
    "Fair point, but…", "Fair point.", "Good point, actually.", "Hmm, not sure about that.",
    "I take your point.", "Respectfully, no.", "Ha, yes.", "Yes and no.", "Sort of?",
    "Agreed, mostly.", "Oh come on.", "I hear you.", "Funny you should say that.",
    "Sorry, but no.", "Thank you — this is the comment I was looking for.", "Honestly?",
    "Not really, no.", "Ok but…", "Mm, I’d push back a little.", "Exactly this.",
    "You’ve got it.", "Eh.", "That’s a stretch.", "Agree with the first half.",
)
_OPENERS = (
    "Interesting read.", "Wow.", "Hmm.", "Well.", "Long-time lurker here.", "Right.", "Oh dear.",
    "Okay.", "Where to start.", "Honestly?", "Good grief.",
)
_ASIDES = ("Honestly, ", "Tbh ", "Look, ", "To be fair, ", "Frankly, ", "Ngl ", "Well, ", "See, ")
_CLOSERS = (
    "Just my two cents.", "Rant over.", "Anyway.", "Edit: typo.", "Cheers.", "Just saying.",
    "Discuss.", "— a long-time reader", "Stay warm, everyone.", "(Sorry, couldn’t resist.)",
)
_LONG_CLOSERS = (
    "Sorry for the long comment.", "Thanks for reading, if you got this far.",
    "Anyway, good piece, and thanks to the reporter.", "Rant over. For now.",
    "Apologies for the essay.", "Edit: formatting.",
)
_LIST_LEADS = (
    "A few things the piece doesn’t mention:", "Three quick points:", "What I’d like to know:",
    "Things that would actually help:", "For context:", "The questions nobody is asking:",
)
_LIST_POINTS = (
    "who maintains it after year one", "what it costs per household",
    "whether anyone measured it *before* the change", "how the people most affected were consulted",
    "what happened in {place}", "the staffing, which is always the bottleneck",
    "how much of the money goes on consultants", "the timeline (there isn’t one)",
    "better public transport, first", "actual enforcement",
    "independent data, published every year", "less jargon, more detail", "a plan B",
    "who signs off on it", "the knock-on effect on {place}", "what “{word}” means in practice",
    "**proper** funding, not a one-off grant", "a review after {n} years",
)
_EMOJI = ("🙂", "😂", "🙄", "👍", "🤷", "😬", "👏", "🤔", "😅", "💯", "🙃", "❤️")
_WHO = (
    "dad", "mum", "sister", "brother", "neighbour", "gran", "brother-in-law", "old boss",
    "flatmate", "aunt", "best friend", "GP", "partner", "uncle", "daughter", "son",
)
_JOBS = (
    "nurse", "bus driver", "teacher", "civil engineer", "bookkeeper", "sound engineer",
    "plumber", "postdoc", "paramedic", "social worker", "farmer", "planning officer",
    "pharmacist", "software developer", "journalist", "shop manager", "carpenter",
)
_WHEN = (
    "back in the 90s", "in 2009", "about ten years ago", "before the pandemic",
    "when I was at school", "last spring", "in the early 2000s", "a couple of years back",
    "in 2018", "the last time round",
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
_URL_PATHS = (
    "report-2026", "research/2025/urban-heat.pdf", "data/annual-review-2025",
    "consultation/summary", "archive/2019/03/the-last-time", "blog/what-the-numbers-say",
    "docs/full-study.pdf", "news/2026/11/follow-up", "stats/table-4b",
    "reports/independent-review?page=2", "evidence/written-submissions",
    "papers/working-paper-114.pdf",
)
_STOPWORDS = frozenset({
    "about", "above", "after", "again", "against", "their", "there", "these", "those", "which",
    "while", "would", "could", "should", "where", "other", "under", "until", "being", "since",
    "still", "every", "years", "today", "update", "first", "nobody", "never", "across", "shows",
    "tells", "wants", "beats", "sends", "marks", "points", "makes", "holds", "warns", "chosen",
    "expected", "links", "turns", "shared", "happened", "small", "choose", "central", "twice",
    "triples", "staple", "melting", "hours", "inside", "faster", "hottest", "shadiest", "cooler",
    "watch", "owned", "three", "major", "carved", "rewrite", "former", "houses", "family",
    "flood", "hijacked",
})
# fmt: on

# Rare, for the technically minded reader; inline code is the only Markdown they use.
_TECHIE = (
    "Pro tip: `Ctrl+F` for “{word}” saves reading the whole thread.",
    "Pin your dependencies and check hashes, e.g. `pip install --require-hashes`. Boring, works.",
    "The raw numbers are in the CSV, column `total_2025`, if anyone wants to check my maths.",
    "Somebody please run `git blame` on whoever wrote that policy.",
)
# Sentence pools by tone. Placeholders are filled per comment by _Slots.
_AGREE = (
    "Completely agree with this.",
    "This is the most sensible thing I’ve read about this in years.",
    "Couldn’t have put it better myself.",
    "Finally someone says it out loud.",
    "Same experience here in {place}.",
    "Yes — and it’s been obvious for at least {years} years.",
    "I was sceptical at first, but the numbers in the piece are hard to argue with.",
    "Agree with every word, especially the part about “{word}”.",
    "Good to see this getting proper coverage for once.",
    "This matches what my {who} has been telling me for ages.",
    "Exactly right, and it’s not even a left/right thing.",
    "Honestly, this is *exactly* the kind of story we need more of.",
    "I’d go further, actually: it’s overdue.",
    "Strongly agree. The quote near the end says it all.",
    "Refreshing to read something this balanced.",
    "As a {job}, I can confirm every word of this.",
    "It’s not complicated, and this piece shows why.",
    "Wholeheartedly agree — though I suspect I’m in the minority here.",
    "More of this, please.",
    "This is what good local journalism looks like.",
    "Spot on about “{word}”, too.",
    "Nailed it. **Every** point.",
    "Agree. And the people quoted sound like they actually know what they’re talking about.",
    "This is the sensible middle ground nobody ever seems to find.",
    "Yes. A thousand times yes.",
    "Been waiting years for someone to write this up properly.",
    "Glad I’m not the only one who thinks so.",
    "Our street in {place} could have told them this for free.",
)
_DISAGREE = (
    "I don’t buy it.",
    "Sorry, but this is far too rosy.",
    "The article skips over the cost almost entirely.",
    "Nobody seems to have asked who actually pays for this.",
    "I think this misses the point.",
    "That’s one reading of the numbers, but not the only one.",
    "We tried something very similar in {place} and it was a mess.",
    "This sounds great until you look at the detail.",
    "Correlation isn’t causation, however much we’d like it to be.",
    "I’m not convinced a {pct}% change means much on a sample that small.",
    "The piece quotes one side at length and the other in a single line.",
    "Nice idea, terrible timing.",
    "Respectfully, I think the opposite is true.",
    "Every few years someone rediscovers this and every few years it quietly fails.",
    "Not everything has to be a *revolution*.",
    "That’s a big claim and the article doesn’t really back it up.",
    "The headline is doing a lot of heavy lifting here.",
    "I live with the consequences of this every day and it’s nowhere near as simple.",
    "This is **not** what the people affected actually asked for.",
    "Hard disagree on “{word}”.",
    "The word “{word}” in that headline is carrying a lot of weight.",
    "This reads like a press release with quotes attached.",
    "I’d want to see the five-year numbers before getting excited.",
    "Lovely anecdotes, but anecdotes aren’t evidence.",
    "The hard questions are all in the last two paragraphs, and then dropped.",
    "It’s never as cheap as the first estimate. Never.",
    "This will work in a town of a few thousand people and nowhere else.",
)
_REPLY_DISAGREE = (
    "That’s not what the article says, though.",
    "You’re assuming everyone has the same options you do.",
    "Did you read past the second paragraph?",
    "I think you’ve got that backwards.",
    "That might be true where you are, but not everywhere.",
    "Where are you getting that from?",
    "With respect, that’s a bit of a straw man.",
    "You’re not wrong, but you’re not entirely right either.",
    "That was {years} years ago — things have moved on.",
    "The figures in the piece say otherwise.",
    "I used to think that too, until I actually looked into it.",
    "Both things can be true at once.",
    "That’s a very {place}-centric way of looking at it.",
    "You’re arguing with something nobody here said.",
    "This is exactly the kind of *whataboutery* that gets us nowhere.",
)
_QUESTION = (
    "Does anyone know what happens to people already on the waiting list?",
    "Genuine question: who’s paying for this?",
    "Is there a link to the actual study?",
    "How does this compare with what {place} did a few years back?",
    "What’s the timescale here? The piece doesn’t say.",
    "Has anyone actually asked the people who live there?",
    "Am I the only one wondering what “{word}” means in practice?",
    "Why is this only happening now?",
    "Would be good to know how many of these are still running in five years.",
    "Can someone explain the {pct}% figure? It seems high.",
    "Is this the same scheme that was trialled in {place}?",
    "Serious question — what’s the downside?",
    "Does the report say anything about rural areas?",
    "So what happens when the funding runs out?",
    "Who decided this, and when?",
    "Any chance of a follow-up piece in a year’s time?",
    "Could someone who works in this area explain the “{word}” bit?",
    "Has this been tried anywhere outside Europe?",
    "Does anyone know if there’s a public meeting about this?",
    "Are the full figures published anywhere, or just the headline ones?",
    "What did the people who voted against it actually say?",
    "Honest question: is {years} years a long time in this field or not?",
    "How would this work somewhere like {place}?",
)
_REPLY_QUESTION = (
    "Do you have a source for that?",
    "Genuinely curious: where did you see that?",
    "Which bit do you disagree with?",
    "Out of interest, what would you do instead?",
    "Wait, is that true? I’d assumed the opposite.",
    "When was that, roughly?",
    "Sorry, what do you mean by “{word}” here?",
    "Is that from personal experience or something you read?",
    "And how did that work out in {place}?",
)
_ANECDOTE = (
    "My {who} worked as a {job} for {years} years and said exactly this.",
    "When I lived in {place}, we had something similar and it worked surprisingly well.",
    "I remember this being debated {when}. Nothing changed.",
    "We moved to {place} {when} and honestly the difference was night and day.",
    "Anecdotally, everyone I know who tried it stuck with it.",
    "I saw this first-hand {when} — the queues were *unreal*.",
    "Spent {years} years as a {job}; this is the most accurate thing I’ve read about it.",
    "There’s a version of this in {place} and the locals love it.",
    "I was there last summer. Can confirm, it’s exactly as described.",
    "Grew up near {place}. We used to joke about this, and now here we are.",
    "Had a very similar conversation with my {who} only last week.",
    "Years ago I worked on something like this in {place}. The hard part was never the money, "
    "it was getting people into the same room.",
    "My {who} still talks about the last time this was tried.",
    "Funnily enough, my {who} was involved in something like this {when}.",
    "I’m a {job} and half my week is spent dealing with exactly this.",
    "We had a café in {place} that did this informally for years. Nobody called it a scheme.",
    "My {who} grew up near there and says the piece gets the atmosphere exactly right.",
    "I did a summer job {when} that involved exactly this. Chaos, but good chaos.",
    "Took my kids to see this {when}. They still talk about it.",
    "As someone who moved here from {place}, this all feels very familiar.",
    "I was at the meeting {when} where this was first suggested. People laughed.",
)
_CORRECTION = (
    "Small correction: I think the figure in the fourth paragraph should be {pct}%, not {n}%.",
    "Minor point, but I think one of the quotes is attributed to the wrong person.",
    "Not quite — the rules changed {when}, so the comparison isn’t like for like.",
    "Just to clarify for anyone skimming: this only applies to new cases, not existing ones.",
    "The report the piece is based on says something slightly different: {url}",
    "Typo in the standfirst, for what it’s worth.",
    "To be fair to the article, it does mention that further down.",
    "Worth noting the sample was small — the authors say so themselves.",
    "One correction: that was a pilot, not the full scheme.",
    "Pedant’s corner: “less” should be “fewer” in paragraph three. Otherwise great.",
    "Checked the original source and the numbers are per year, not per month.",
    "For accuracy: the first trial was in {place}, not here.",
)
_REPLY_CORRECTION = (
    "Not quite, I think — the piece says it was a pilot.",
    "Small thing: that was {when}, not last year.",
    "I think you’re mixing this up with the scheme in {place}.",
    "The original report is here if you want to check: {url}",
    "It’s actually in the article, about halfway down.",
    "That number is from before the changes, I believe.",
)
_JOKE = (
    "Can’t wait for the inevitable consultation on the consultation.",
    "In other news, water is wet.",
    "Somewhere a committee is already designing the commemorative tote bag.",
    "I give it {n} weeks before someone proposes a task force.",
    "My cat has stronger opinions on this than most of the people quoted.",
    "Ah yes, the annual “{word}” story. Must be {month} again.",
    "Sounds like a plan that has never met a Monday morning.",
    "Reading this with my third coffee and it still doesn’t add up. ☕",
    "Next week: experts discover that people like nice things.",
    "Half the comments here were clearly written before reading the article. Possibly including "
    "this one.",
    "If I had a euro for every time I’ve read this headline, I could fund it myself.",
    "Bold of them to assume anything in {place} runs on time.",
    "Whoever put “{word}” in that headline deserves a pay rise.",
    "Finally, a story my {who} will read to the end.",
    "Somewhere, a spreadsheet is weeping.",
    "Can we also fix the trains while we’re at it? Asking for a friend.",
    "Step one: form a committee. Step two: lunch.",
    "Breaking: the thing everyone said would happen has happened.",
)
_META = (
    "Great piece — thanks for actually going there and talking to people.",
    "Really well reported. The detail about “{word}” was new to me.",
    "This is why I pay for this site.",
    "Please keep covering this, it deserves more attention.",
    "Interesting article, but the headline is a bit misleading.",
    "Would love a follow-up on this in six months.",
    "The photo alone is worth the click.",
    "Good to see a story that isn’t about {place} for once.",
    "One of the better pieces I’ve read on this.",
    "Lovely writing. The last paragraph especially.",
    "Why are the comments always better than the article? (Kidding, mostly.)",
    "Long-time reader, first-time commenter: this one hit home.",
    "Shared this with my {who}, who had a lot to say about it.",
    "Balanced, calm, well sourced. Rare these days.",
    "Thanks for the clear explainer — I finally understand what “{word}” actually refers to.",
    "Refreshing to read a piece that lets people speak for themselves.",
    "Excellent reporting. Please do more from outside the capital.",
    "The standfirst sums it up better than most full articles manage.",
)
_SCEPTIC = (
    "I’ll believe it when I see it.",
    "The same promises were made {when}.",
    "Wonder who’s lobbying for this behind the scenes.",
    "Follow the money.",
    "Sounds nice on paper. Paper is cheap.",
    "Call me cynical, but the timing is interesting.",
    "Expect a quiet U-turn in about eighteen months.",
    "The people making this decision won’t be the ones living with it.",
    "Great announcement. Now let’s see the budget.",
    "Every pilot is a success; it’s the rollout that fails.",
    "I’ve seen “{word}” promised before. Twice.",
    "Let’s revisit this in {n} years and see who was right.",
    "A cynic might say this is about the next election.",
    "Announcements are free. Delivery isn’t.",
    "I notice nobody mentions who gets the contract.",
)
_LINK = (
    "There’s a longer report on this here: {url}",
    "For anyone interested, the full data is at {url}",
    "Background reading, if you have a spare hour: {url}",
    "The original study is open access: {url}",
    "Here’s the consultation document, for those who want the detail: {url}",
    "Good explainer on the history of all this: {url}",
    "I wrote about something similar a while back — {url}",
)
_FOLLOW_UPS = (
    "Not that anyone in charge will listen.",
    "We’ll see.",
    "Happy to be proven wrong.",
    "I’ve been saying this for {years} years.",
    "It’s not rocket science.",
    "Still, better late than never.",
    "The devil, as always, is in the detail.",
    "Would love to hear from someone who actually works in this area.",
    "It’ll be interesting to see how this plays out.",
    "Nobody ever wants to talk about maintenance.",
    "And yes, I did read the whole thing.",
    "It’s the same story everywhere, really.",
    "Small changes, big difference.",
    "That’s the part nobody mentions.",
    "In {place} they figured this out ages ago.",
    "I just hope the people affected get a say.",
    "Sometimes the boring option is the right one.",
    "Maybe I’m being naïve.",
    "Either way, it’s a start.",
    "Honestly, it’s a bit depressing how long this took.",
    "The *real* question is what happens next year.",
    "**Nobody** budgets for the second year.",
    "Déjà vu, anyone?",
    "That alone should give people pause.",
    "I could be wrong, of course.",
    "Worth reading to the end.",
    "Context matters here.",
    "We really need better data on this.",
    "Fair play to everyone involved, though.",
    "Long may it continue.",
    "I’ll be following this one closely.",
    "My {who} agrees, for what that’s worth.",
    "It’s {month} and we’re still having this conversation.",
    "Try explaining that to anyone outside the bubble.",
    "None of this is new, it’s just finally being written down.",
    "Tell that to the people in {place}.",
    "I’d happily be corrected on this.",
    "Good luck to them, honestly.",
    "There’s a lesson there for {place}.",
    "The comments are going to be fun on this one.",
    "Worth a proper debate, not a shouting match.",
    "Anyway, off to make a cup of tea.",
    "It’s not perfect, but it’s something.",
    "I’d love to see the same story told from the other side.",
    "Bookmarking this for the next time someone tells me it can’t be done.",
    "Rather them than me, mind.",
)
_SLOT_RANGES = {"years": (3, 30), "n": (2, 12), "pct": (4, 60)}
_SLOT_POOLS = {"place": _PLACES, "who": _WHO, "job": _JOBS, "when": _WHEN, "month": _MONTHS}
_TONES = (
    # (sentences, weight in top-level comments, weight in replies)
    (_AGREE, 10, 8),
    (_DISAGREE, 8, 4),
    (_REPLY_DISAGREE, 0, 9),
    (_QUESTION, 9, 3),
    (_REPLY_QUESTION, 0, 6),
    (_ANECDOTE, 9, 7),
    (_CORRECTION, 4, 0),
    (_REPLY_CORRECTION, 0, 3),
    (_JOKE, 6, 5),
    (_META, 8, 0),
    (_SCEPTIC, 6, 4),
    (_LINK, 3, 2),
)
_TONE_POOLS = tuple(pool for pool, _top, _reply in _TONES)
_TONE_WEIGHTS = (  # cumulative, for Random.choices: top-level comments, then replies
    tuple(accumulate(top for _pool, top, _reply in _TONES)),
    tuple(accumulate(reply for _pool, _top, reply in _TONES)),
)


@lru_cache(maxsize=256)
def _headline_words(headline: str) -> tuple[str, ...]:
    """Words from a headline worth quoting in a comment: longer ones, no numbers or filler."""
    words = []
    for raw in headline.split()[1:]:  # the first word is capitalised whatever it is
        word = raw.strip(",.:;!?“”\"'‘’()—–").removesuffix("’s")
        if len(word) >= 5 and word.lower() not in _STOPWORDS and not any(map(str.isdigit, word)):
            words.append(word)
    return tuple(words) or ("this",)


class _Slots(dict):
    """Values for one comment's placeholders, drawn from the rng when first asked for.

    ``str.format_map`` asks for placeholders in order, so the draws stay deterministic. Words,
    places and people are kept, so a comment that mentions a place twice names the same place
    both times; numbers are drawn afresh, so "{years} years" is not the same in every sentence.
    """

    def __init__(self, rng: Random, headline: str):
        super().__init__()
        self.rng = rng
        self.headline = headline

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key in _SLOT_RANGES:
            return str(rng.randint(*_SLOT_RANGES[key]))
        if key == "word":
            value = rng.choice(_headline_words(self.headline))
        elif key == "url":
            value = f"https://{rng.choice(('example.org', 'example.com'))}/"
            value += rng.choice(_URL_PATHS)
        else:
            value = rng.choice(_SLOT_POOLS[key])
        self[key] = value
        return value

    def fill(self, template: str) -> str:
        return template.format_map(self) if "{" in template else template


def _sentences(rng: Random, pool: tuple[str, ...], count: int, slots: _Slots) -> list[str]:
    """``count`` different sentences: the first from the tone's pool, later ones mixed in."""
    chosen = [rng.choice(pool)]
    while len(chosen) < count:
        candidate = rng.choice(pool if rng.random() < 0.4 else _FOLLOW_UPS)
        if candidate not in chosen:
            chosen.append(candidate)
    return [slots.fill(sentence) for sentence in chosen]


def _quoted(parent_body: str) -> str:
    """The start of the parent comment as a reader pastes it: first sentence or ~80 characters.

    Returns "" when the parent has nothing worth quoting (a one-word reaction, a quote only).
    """
    for line in parent_body.split("\n"):
        line = line.strip()
        if line and not line.startswith((">", "- ")):
            break
    else:
        return ""
    text = line.replace("**", "").replace("*", "").replace("`", "")
    ends = [text.find(mark) for mark in (". ", "? ", "! ")]
    end = min((index for index in ends if index >= 0), default=-1)
    if 0 <= end < 80:
        fragment = text[: end + 1]
    elif len(text) <= 80:
        fragment = text
    else:
        cut = text.rfind(" ", 0, 80)
        fragment = text[: cut if cut > 0 else 80].rstrip(",;:—– ") + "…"
    return f"> {fragment}" if len(fragment) >= 12 else ""


def _long_comment(rng: Random, pool: tuple[str, ...], slots: _Slots) -> str:
    """Two to four paragraphs, sometimes with a list, as the reader who has a lot to say."""
    paragraphs = [" ".join(_sentences(rng, pool, rng.randint(2, 3), slots))]
    for _index in range(rng.randint(1, 3)):
        if rng.random() < 0.25:
            points = rng.sample(_LIST_POINTS, rng.randint(2, 4))
            items = "\n".join(f"- {slots.fill(point)}" for point in points)
            paragraphs.append(f"{rng.choice(_LIST_LEADS)}\n\n{items}")
        else:
            middle = rng.choice((_ANECDOTE, _AGREE, _DISAGREE, _QUESTION, _SCEPTIC, pool))
            paragraphs.append(" ".join(_sentences(rng, middle, rng.randint(1, 3), slots)))
    if rng.random() < 0.4:
        paragraphs.append(rng.choice(_LONG_CLOSERS))
    return "\n\n".join(paragraphs)


def _with_aside(rng: Random, text: str) -> str:
    """``text`` after a casual "Honestly," or "Tbh", its first letter lowered unless it is "I"."""
    if not (text[0] == "I" and text[1:2] in (" ", "’")):
        text = text[0].lower() + text[1:]
    return rng.choice(_ASIDES) + text


def comment_body(rng: Random, *, headline: str, depth: int, parent_body: str | None) -> str:
    """A reader's comment in Markdown, as typed: from a one-word reaction to a few paragraphs.

    Replies (``depth`` > 0) sometimes open by answering or quoting their parent. Cheap enough
    for thousands of calls: a handful of draws and string joins, no parsing.
    """
    reply = depth > 0 and bool(parent_body)
    roll = rng.random()
    if roll < 0.09:
        return rng.choice(_REPLY_REACTIONS if reply and roll < 0.045 else _REACTIONS)
    slots = _Slots(rng, headline)
    lead = ""
    if reply:
        style = rng.random()
        quote = _quoted(parent_body) if style < 0.2 else ""
        if quote:
            lead = quote + "\n\n"
        elif style < 0.5:
            lead = rng.choice(_REPLY_OPENERS) + " "
    elif rng.random() < 0.07:
        lead = rng.choice(_OPENERS) + " "
    pool = rng.choices(_TONE_POOLS, cum_weights=_TONE_WEIGHTS[reply])[0]
    if rng.random() < 0.12:
        text = _long_comment(rng, pool, slots)
    else:
        count = rng.choices((1, 2, 3), cum_weights=(45, 80, 100))[0]
        text = " ".join(_sentences(rng, pool, count, slots))
        extra = rng.random()
        if extra < 0.02:
            text += " " + slots.fill(rng.choice(_TECHIE))
        elif extra < 0.08:
            text += " " + rng.choice(_CLOSERS)
        elif extra < 0.16:
            text += " " + rng.choice(_EMOJI)
    if not lead and rng.random() < 0.15:
        text = _with_aside(rng, text)
    text = lead + text
    if rng.random() < 0.3:  # plenty of people type straight apostrophes
        text = text.replace("’", "'")
    return text


# --- Lead images -------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _mix(first: tuple[int, ...], second: tuple[int, ...], share: float) -> tuple[int, ...]:
    return tuple(round(a + (b - a) * share) for a, b in zip(first, second, strict=True))


def lead_image_jpeg(
    rng: Random, palette: tuple[str, str, str], *, width: int = 1200, height: int = 675
) -> bytes:
    """An abstract editorial illustration in the palette's colours, as JPEG bytes.

    A vertical gradient, translucent diagonal bands, a sun and two rolling ridges are painted at
    half size, blurred a little and scaled up, which softens their edges far more cheaply than a
    blur at full size; a ring, a horizon line and a grid of dots are then drawn crisp on top.
    """
    top, bottom, accent = (_rgb(colour) for colour in palette)
    small = (max(1, width // 2), max(1, height // 2))
    w, h = small
    gradient = Image.linear_gradient("L").resize(small)
    canvas = Image.composite(
        Image.new("RGB", small, bottom), Image.new("RGB", small, top), gradient
    )
    draw = ImageDraw.Draw(canvas, "RGBA")  # RGBA fills blend into the RGB canvas
    for _band in range(rng.randint(2, 4)):
        left, band = rng.uniform(-0.3, 1.0) * w, rng.uniform(0.05, 0.2) * w
        slant = rng.uniform(0.3, 0.9) * h * rng.choice((-1, 1))
        colour = _mix(top, accent, rng.uniform(0.2, 0.8))
        draw.polygon(
            [(left, 0), (left + band, 0), (left + band + slant, h), (left + slant, h)],
            fill=(*colour, rng.randint(30, 80)),
        )
    radius = rng.uniform(0.16, 0.3) * h
    sun_x, sun_y = rng.uniform(0.15, 0.85) * w, rng.uniform(0.22, 0.45) * h
    draw.ellipse(
        (sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius),
        fill=(*_mix(accent, top, 0.1), 235),
    )
    horizon = rng.uniform(0.55, 0.7) * h
    shade = _mix(bottom, accent, 0.35)
    for ridge in range(2):
        base = horizon + ridge * 0.12 * h
        amplitude = rng.uniform(0.03, 0.08) * h
        waves, phase = rng.uniform(1.0, 3.0), rng.uniform(0, math.tau)
        outline = [
            (x, base + amplitude * math.sin(phase + math.tau * waves * x / w))
            for x in range(0, w + 8, 8)
        ]
        colour = _mix(shade, (0, 0, 0), 0.15 + 0.2 * ridge)
        draw.polygon([*outline, (w, h), (0, h)], fill=(*colour, 215 + 40 * ridge))
    image = canvas.filter(ImageFilter.GaussianBlur(1.2)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    draw = ImageDraw.Draw(image)
    scale_x, scale_y = width / w, height / h
    line_colour = _mix(accent, (255, 255, 255), 0.4)
    ring = radius * scale_y * rng.uniform(1.15, 1.35)
    centre_x, centre_y = sun_x * scale_x, sun_y * scale_y
    draw.ellipse(
        (centre_x - ring, centre_y - ring, centre_x + ring, centre_y + ring),
        outline=line_colour,
        width=max(1, height // 300),
    )
    line_y = horizon * scale_y - rng.uniform(0.02, 0.06) * height
    draw.line((0, line_y, width, line_y), fill=line_colour, width=max(1, height // 400))
    step = max(4, height // 40)
    dots_x = rng.choice((step * 2, width - step * 12))
    dots_y = rng.uniform(0.08, 0.25) * height
    dot = max(1, step // 6)
    for row in range(rng.randint(3, 5)):
        for column in range(rng.randint(6, 10)):
            x, y = dots_x + column * step, dots_y + row * step
            draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=line_colour)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()
