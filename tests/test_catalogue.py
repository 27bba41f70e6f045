"""The catalogue loader validates every file and names the file, row and reason of a bad row."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
import yaml

from services.catalogue import CatalogueError, load_catalogue
from tests.helpers import DATA_DIR


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(DATA_DIR)


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit_yaml(path, index, change):
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(items[index], items)
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _first_profession_file(data_dir):
    return sorted((data_dir / "professions").glob("*.yaml"))[0]


def _set(key, value):
    def change(item, items):
        item[key] = value

    return change


def _drop(key):
    def change(item, items):
        del item[key]

    return change


def _copy_field_from(index, key):
    def change(item, items):
        item[key] = items[index][key]

    return change


CASES = [
    # (file, row index, change, words the error must contain)
    ("professions", 2, _drop("summary"), "field 'summary' is missing"),
    ("professions", 2, _set("slug", "Сварщик!"), "must be lower-case ASCII"),
    ("professions", 2, _copy_field_from(0, "slug"), "duplicate profession slug"),
    ("professions", 2, _copy_field_from(0, "title"), "duplicate profession title"),
    ("professions", 2, _set("sphere", "space"), "unknown sphere 'space'"),
    (
        "professions",
        2,
        _set("subjects", ["physics", "alchemy"]),
        "unknown subject code(s): alchemy",
    ),
    ("professions", 2, _set("onet_codes", ["99-9999.99"]), "O*NET code(s) without interest data"),
    ("professions", 2, _set("salary", {"min": 90000, "max": 10000}), "salary needs"),
    (
        "professions",
        2,
        _set("education", [{"level": "school", "programme": "x", "duration_months": 12}]),
        "education level 'school'",
    ),
    (
        "enterprises.yaml",
        1,
        _set("professions", ["no-such-profession"]),
        "unknown profession: no-such-profession",
    ),
    ("enterprises.yaml", 1, _set("industry", "spaceships"), "unknown industry"),
    ("enterprises.yaml", 1, _set("parent", "nowhere"), "unknown parent enterprise"),
    ("enterprises.yaml", 1, _copy_field_from(0, "slug"), "duplicate enterprise slug"),
    ("tours.yaml", 3, _set("enterprise", "nowhere"), "unknown enterprise 'nowhere'"),
    ("tours.yaml", 3, _set("professions", ["ghost"]), "unknown profession: ghost"),
    ("tours.yaml", 3, _set("group_min", 50), "group_min ≤ group_max"),
    ("tours.yaml", 3, _set("min_age", 2), "'min_age' must be a whole number"),
    (
        "tours.yaml",
        3,
        _set("schedule", {"weekdays": ["sun"], "times": ["10:00"]}),
        "schedule weekdays",
    ),
    ("tours.yaml", 3, _set("schedule", {"weekdays": ["mon"], "times": ["25:99"]}), "not HH:MM"),
    ("tours.yaml", 3, _set("duration_minutes", "long"), "must be a whole number"),
    ("quiz_items.yaml", 4, _set("area", "X"), "must be one of RIASEC"),
    ("quiz_items.yaml", 4, _copy_field_from(0, "code"), "must be unique"),
]


@pytest.mark.parametrize(("where", "index", "change", "reason"), CASES)
def test_a_broken_row_names_file_row_and_reason(data_copy, where, index, change, reason):
    path = _first_profession_file(data_copy) if where == "professions" else data_copy / where
    _edit_yaml(path, index, change)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data_copy)
    error = caught.value
    assert error.file.endswith(path.name)
    assert str(error.row).startswith(f"{index + 1} (line ")
    assert reason in error.reason


def test_invalid_yaml_names_the_line(data_copy):
    (data_copy / "spheres.yaml").write_text("- slug: a\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"spheres.yaml: row line \d+: not valid YAML"):
        load_catalogue(data_copy)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("svarshchik,huge,,src,2026-10-01", "demand must be one of"),
        ("svarshchik,high,many,src,2026-10-01", "open_vacancies must be a whole number"),
        ("svarshchik,high,3,,2026-10-01", "source is required"),
        ("svarshchik,high,3,src,yesterday", "source_date must be a date"),
        ("nobody,high,3,src,2026-10-01", "unknown profession 'nobody'"),
    ],
)
def test_bad_demand_rows_are_named(data_copy, row, reason):
    for path in (data_copy / "demand").glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if not line.startswith("svarshchik,")]
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    extra = data_copy / "demand" / "zz-extra.csv"
    extra.write_text(
        "profession_slug,demand,open_vacancies,source,source_date\n" + row + "\n", encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data_copy)
    assert caught.value.file.endswith("zz-extra.csv") and caught.value.row == 2
    assert reason in caught.value.reason


def test_a_profession_without_demand_is_reported(data_copy):
    path = sorted((data_copy / "demand").glob("*.csv"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    dropped = lines[1].split(",")[0]
    path.write_text("\n".join(lines[:1] + lines[2:]) + "\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=f"no demand row for: .*{dropped}"):
        load_catalogue(data_copy)


# --- what the catalogue must hold -------------------------------------------------------------

REQUIRED_PROFESSIONS = """
сварщик
оператор станков с ЧПУ
токарь
фрезеровщик
слесарь механосборочных работ
наладчик технологического оборудования
инженер-конструктор
инженер-технолог машиностроения
инженер-механик
монтажник систем вентиляции и кондиционирования
инженер по отоплению, вентиляции и кондиционированию
инженер-теплотехник
электромонтажник
электромонтёр
инженер-энергетик
оператор котельной
инженер-электроник
радиомонтажник
мехатроник
инженер-робототехник
инженер КИПиА / АСУ ТП
контролёр ОТК
метролог
оператор производственной линии
оператор линии пищевого производства
технолог пищевого производства
кондитер
пекарь
повар
стеклодув
технолог стекольного производства
лаборант химического анализа
инженер-химик-технолог
биотехнолог
технолог фармацевтического производства
швея
технолог швейного производства
столяр
плотник
монтажник каркасных домов
инженер-строитель
архитектор
сметчик
машинист крана
водитель погрузчика
кладовщик
логист
автомеханик
тракторист-машинист
агроном
зоотехник
ветеринарный врач
эколог
специалист по охране труда
промышленный дизайнер
специалист по аддитивным технологиям (3D-печать)
оператор БПЛА
программист
системный администратор
специалист по информационной безопасности
аналитик данных
бухгалтер
экономист
менеджер по продажам
маркетолог
специалист по персоналу
юрист
экскурсовод
менеджер по туризму
фотограф / видеограф
графический дизайнер
художник лаковой миниатюры
мастер производственного обучения
"""


def _norm(title: str) -> str:
    return " ".join(title.lower().replace("ё", "е").split())


def test_catalogue_sizes(catalogue):
    assert len(catalogue.professions) >= 200
    assert len(catalogue.enterprises) >= 30
    assert len(catalogue.tours) >= 60
    assert len(catalogue.quiz_items) >= 60
    per_area = Counter(i["area"] for i in catalogue.quiz_items)
    assert all(per_area[a] >= 10 for a in "RIASEC")
    short = Counter(i["area"] for i in catalogue.quiz_items if i.get("short_form"))
    assert short == dict.fromkeys("RIASEC", 5)


def test_every_required_profession_is_present(catalogue):
    titles = {_norm(p["title"]) for p in catalogue.professions.values()}
    wanted = [_norm(t) for t in REQUIRED_PROFESSIONS.strip().splitlines()]
    missing = [t for t in wanted if t not in titles]
    assert not missing, f"missing professions: {missing}"


def test_the_three_named_enterprises_are_present(catalogue):
    names = " | ".join(e["name"] for e in catalogue.enterprises.values())
    assert "Русклимат ИКСЭл" in names
    assert "Ижевский завод тепловой техники" in names or "ИЗТТ" in names
    assert "Мобильные дома" in names
    kirzhach = [e for e in catalogue.enterprises.values() if "Киржач" in e["district"]]
    assert len(kirzhach) >= 3


def test_catalogue_covers_every_sphere_and_industry(catalogue):
    spheres = {p["sphere"] for p in catalogue.professions.values()}
    assert spheres == {s["slug"] for s in catalogue.spheres}
    industries = {e["industry"] for e in catalogue.enterprises.values()}
    assert {
        "machine-building",
        "climate-heating",
        "house-building",
        "food",
        "glass-crystal",
        "chemistry-pharma",
        "textiles",
        "energy",
        "agriculture",
        "crafts",
    } <= industries


def test_riasec_vectors_come_from_onet(catalogue):
    welder = catalogue.professions["svarshchik"]
    assert max(welder["riasec"], key=welder["riasec"].get) == "R"
    for profession in catalogue.professions.values():
        assert all(0 <= v <= 1 for v in profession["riasec"].values())
