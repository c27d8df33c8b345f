"""One walking axis per street, whatever its drawing, in the local metric grid.

The regulation numbers a street, not its drawing: seen from the start, doors on the left are odd
and rise along the street, doors on the right even. A CSBM may be drawn as
- pieces that touch: merged into one line;
- the two carriageways of a divided road (two roughly parallel lines a few metres apart, often
  drawn in opposite directions, or one line up one carriageway and back down the other): the
  stretch where they run side by side becomes their common centreline, so a door's side is judged
  from the road and not from the carriageway it happens to be nearest;
- pieces with gaps: chained end to nearest end (geometry.single_line).

Two stretches are carriageways of one road where, every STEP_M along one of them, the other lies
within PAIR_DISTANCE_M, runs within ~32° of parallel (PARALLEL_COS) and lies across the road
(the line to it makes more than 60° with the direction: ACROSS_COS), not along it. On a single
drawn line (a hairpin) the other carriageway must also be a detour away along the line (DETOUR
times the gap): a small roundabout's far side is across it but only a short way round, so a loop
or a meydan keeps its shape and its clockwise rule. The longer of two paired lines (on one line,
the part drawn first) carries the centreline; the other one's paired stretch is dropped, and what
is left of it (a carriageway running on beyond the other) is kept if it is at least
MIN_REMNANT_M long. A street with nothing paired is exactly geometry.single_line of its drawing.

Most streets are one piece that never turns back on itself; they are known without the search: if
a line's direction stays within a range narrower than PLAIN_TURN, the straight distance between
two of its points is more than 1/DETOUR of the way along it, so it can have no carriageway pair."""

import math

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from .geometry import single_line

PAIR_DISTANCE_M = 25.0
STEP_M = 5.0
PARALLEL_COS = 0.85
ACROSS_COS = 0.5
DETOUR = 3.0
OVERLAP_M = 1.0  # closer than this, two lines are the same line drawn twice
MIN_REMNANT_M = PAIR_DISTANCE_M
PLAIN_TURN = 2 * math.acos(1 / DETOUR)  # radians, ~141°
LEAD, FOLLOW, FREE = 1, -1, 0


def street_axis(geom: BaseGeometry) -> LineString:
    """The one line a street is walked along (not yet oriented: see geometry.oriented)."""
    merged = shapely.line_merge(geom) if isinstance(geom, MultiLineString) else geom
    pieces = [p for p in shapely.get_parts(merged) if p.length > 0]
    if len(pieces) == 1 and _turn_range(pieces[0]) < PLAIN_TURN:
        return single_line(geom)
    dense = [_Piece(k, shapely.segmentize(p, STEP_M)) for k, p in enumerate(pieces)]
    if not _pair(dense):
        return single_line(geom)
    kept = [run for p in dense for run in p.runs()]
    if not kept:  # cannot happen with a leader on every pair; keep the drawing rather than nothing
        return single_line(geom)
    return single_line(MultiLineString(kept)) if len(kept) > 1 else kept[0]


class _Piece:
    """A merged piece, densified: its vertices, stations, directions and pairing labels."""

    def __init__(self, index: int, line: LineString) -> None:
        self.index, self.length = index, line.length
        self.closed = line.is_ring
        xy = shapely.get_coordinates(line)
        self.xy = xy[:-1] if self.closed else xy  # a ring's last vertex repeats its first
        seg = np.diff(xy, axis=0)
        self.seg_len = np.hypot(seg[:, 0], seg[:, 1])
        self.seg_dir = seg / np.where(self.seg_len > 0, self.seg_len, 1)[:, None]
        self.seg_start = np.concatenate([[0.0], np.cumsum(self.seg_len)[:-1]])
        self.stations = self.seg_start[: len(self.xy)] if self.closed else np.append(self.seg_start, line.length)
        before = np.vstack([self.seg_dir[-1:] if self.closed else self.seg_dir[:1], self.seg_dir])
        after = np.vstack([self.seg_dir, self.seg_dir[:1] if self.closed else self.seg_dir[-1:]])
        tangent = (before + after)[: len(self.xy)]
        norm = np.hypot(tangent[:, 0], tangent[:, 1])
        self.tangent = tangent / np.where(norm > 0, norm, 1)[:, None]
        self.label = np.full(len(self.xy), FREE)
        self.partner = self.xy.copy()

    def is_end(self) -> np.ndarray:
        ends = np.zeros(len(self.xy), dtype=bool)
        if not self.closed:
            ends[[0, -1]] = True
        return ends

    def runs(self) -> list[LineString]:
        """What is kept of the piece: followers dropped, leaders moved onto the centreline."""
        self._split_turns()
        xy = np.where((self.label == LEAD)[:, None], (self.xy + self.partner) / 2, self.xy)
        keep = self.label != FOLLOW
        if self.closed and keep.all():
            return [LineString(np.vstack([xy, xy[:1]]))]
        idx = np.arange(len(xy))
        if self.closed:  # start the walk after a dropped vertex, so no kept run is cut in two
            first_dropped = int(np.argmin(keep))
            idx = np.roll(idx, -first_dropped)
        runs, current = [], []
        for i in idx:
            if keep[i]:
                current.append(xy[i])
            elif current:
                runs.append(current)
                current = []
        if current:
            runs.append(current)
        lines = [LineString(r) for r in runs if len(r) >= 2]
        if (self.label == FOLLOW).any():
            lines = [ln for ln in lines if ln.length >= MIN_REMNANT_M]
        return lines

    def _split_turns(self) -> None:
        """On a hairpin the turn between the leading and the following carriageway is unpaired:
        its half nearer the follower goes with the follower, so the axis ends at the tip."""
        lab, n, i = self.label, len(self.label), 0
        while i < n:
            if lab[i] != FREE:
                i += 1
                continue
            j = i
            while j < n and lab[j] == FREE:
                j += 1
            if 0 < i and j < n and {lab[i - 1], lab[j]} == {LEAD, FOLLOW}:
                mid = (i + j) // 2
                if lab[i - 1] == FOLLOW:
                    lab[i:mid] = FOLLOW
                else:
                    lab[mid:j] = FOLLOW
            i = j


def _turn_range(line: LineString) -> float:
    """How far apart (radians) the directions of a line's segments spread, following its turns."""
    d = np.diff(shapely.get_coordinates(line), axis=0)
    d = d[np.hypot(d[:, 0], d[:, 1]) > 0]
    heading = np.unwrap(np.arctan2(d[:, 1], d[:, 0]))
    return float(heading.max() - heading.min()) if len(heading) else 0.0


def _pair(pieces: list[_Piece]) -> bool:
    """Label every vertex that has the other carriageway beside it; True if any has."""
    points = np.vstack([p.xy for p in pieces])
    owner = np.concatenate([np.full(len(p.xy), k) for k, p in enumerate(pieces)])
    local = np.concatenate([np.arange(len(p.xy)) for p in pieces])
    seg_a = np.vstack([p.xy[: len(p.seg_len)] if not p.closed else p.xy for p in pieces])
    seg_dir = np.vstack([p.seg_dir for p in pieces])
    seg_len = np.concatenate([p.seg_len for p in pieces])
    seg_start = np.concatenate([p.seg_start for p in pieces])
    seg_owner = np.concatenate([np.full(len(p.seg_len), k) for k, p in enumerate(pieces)])
    segs = shapely.linestrings(np.stack([seg_a, seg_a + seg_dir * seg_len[:, None]], axis=1))
    vi, si = STRtree(segs).query(shapely.points(points), predicate="dwithin", distance=PAIR_DISTANCE_M)
    if not len(vi):
        return False
    p = points[vi]
    along = np.clip(np.einsum("ij,ij->i", p - seg_a[si], seg_dir[si]), 0, seg_len[si])
    q = seg_a[si] + seg_dir[si] * along[:, None]
    gap = np.hypot(*(q - p).T)
    tangent = np.vstack([pc.tangent for pc in pieces])[vi]
    parallel = np.abs(np.einsum("ij,ij->i", tangent, seg_dir[si])) >= PARALLEL_COS
    across_cos = np.abs(np.einsum("ij,ij->i", tangent, (q - p) / np.maximum(gap, 1e-9)[:, None]))
    same_line = gap < OVERLAP_M
    is_end = np.concatenate([pc.is_end() for pc in pieces])[vi]
    ok = parallel & np.where(same_line, ~is_end, across_cos <= ACROSS_COS)
    own = owner[vi] == seg_owner[si]
    v_station = np.concatenate([pc.stations for pc in pieces])[vi]
    q_station = seg_start[si] + along
    detour = np.abs(q_station - v_station)
    ring_length = np.array([pc.length if pc.closed else np.inf for pc in pieces])[owner[vi]]
    detour = np.minimum(detour, ring_length - detour)
    ok &= ~own | (detour >= np.maximum(DETOUR * gap, 3 * STEP_M))
    if not ok.any():
        return False
    vi, si, q, gap, own, v_station, q_station = (a[ok] for a in (vi, si, q, gap, own, v_station, q_station))
    order = np.lexsort((gap, vi))  # per vertex, its nearest partner first
    first = order[np.concatenate([[True], vi[order][1:] != vi[order][:-1]])]
    rank = {k: (-pc.length, k) for k, pc in enumerate(pieces)}
    for m in first:
        k, j = owner[vi[m]], seg_owner[si[m]]
        leads = v_station[m] < q_station[m] if own[m] else rank[k] < rank[j]
        piece = pieces[k]
        piece.label[local[vi[m]]] = LEAD if leads else FOLLOW
        piece.partner[local[vi[m]]] = q[m]
    return True
