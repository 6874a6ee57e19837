<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI -> entity index as JSON:
    {"title": ..., "columns": [...],
     "entities": {id: {"type", "preferred_name", "dates", "wikidata", "geonames", "coordinates", "note", "mentions"}},
     "mentions": [{entity_id, type, preferred_name, surface, document_id, document_title,
                   position, wikidata, geonames, certainty}, ...]}
  "mentions" has one object per name mention with the columns of the CSV export
  (index-common.xsl, docs/exports.md); "entities" describes each authority record once.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tts="urn:x-trotsky-tei:stream"
    extension-element-prefixes="tts"
    exclude-result-prefixes="tei">

  <xsl:include href="index-common.xsl"/>

  <!-- Keys only this stylesheet and a few others need (see common.xsl): the mentions of a record (their count). -->
  <xsl:key name="tt-mentions" match="/tei:TEI/tei:text//@ref" use="substring-after(., '#')"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:text>{&#10;  "title": </xsl:text>
    <xsl:call-template name="string"><xsl:with-param name="s" select="$tt-title"/></xsl:call-template>
    <xsl:text>,&#10;  "columns": ["</xsl:text>
    <xsl:call-template name="ix-replace">
      <xsl:with-param name="s" select="$ix-columns"/>
      <xsl:with-param name="from" select="' '"/>
      <xsl:with-param name="to">", "</xsl:with-param>
    </xsl:call-template>
    <xsl:text>"],&#10;  "entities": {</xsl:text>
    <xsl:for-each select="/tei:TEI/tei:standOff/descendant::tei:person[@xml:id] | /tei:TEI/tei:standOff/descendant::tei:place[@xml:id]
                          | /tei:TEI/tei:standOff/descendant::tei:org[@xml:id]">
      <xsl:if test="position() != 1">,</xsl:if>
      <xsl:text>&#10;    </xsl:text>
      <xsl:variable name="pref" select="normalize-space((tei:persName[@type='preferred'] | tei:placeName[@type='preferred']
                                        | tei:orgName[@type='preferred'] | (tei:persName | tei:placeName | tei:orgName | tei:name)[1][not(
                                        ../tei:persName[@type='preferred'] | ../tei:placeName[@type='preferred'] | ../tei:orgName[@type='preferred'])])[1])"/>
      <xsl:variable name="born" select="substring((tei:birth/@when | tei:floruit/@from)[1], 1, 4)"/>
      <xsl:variable name="died" select="substring((tei:death/@when | tei:floruit/@to)[1], 1, 4)"/>
      <xsl:variable name="dates" select="concat($born, substring('–', 1, number($born != '' or $died != '')), $died)"/>
      <xsl:variable name="wd" select="normalize-space(tei:idno[@type='wikidata'][1])"/>
      <xsl:variable name="gn" select="normalize-space(tei:idno[@type='geonames'][1])"/>
      <xsl:variable name="note" select="normalize-space(tei:note[1])"/>
      <xsl:variable name="all" select="concat(@xml:id, $pref, $dates, $wd, $gn, $note)"/>
      <xsl:variable name="plain" select="translate($all, '\&quot;&#9;&#10;&#13;', '') = $all"/>
      <xsl:choose>
        <xsl:when test="$plain">"<xsl:value-of select="@xml:id"/>"</xsl:when>
        <xsl:otherwise><xsl:call-template name="string"><xsl:with-param name="s" select="@xml:id"/></xsl:call-template></xsl:otherwise>
      </xsl:choose>
      <xsl:text>: {"type": "</xsl:text><xsl:call-template name="tt-entity-type"/><xsl:text>", "preferred_name": </xsl:text>
      <xsl:choose>
        <xsl:when test="$plain">"<xsl:value-of select="$pref"/>"</xsl:when>
        <xsl:otherwise><xsl:call-template name="string"><xsl:with-param name="s" select="$pref"/></xsl:call-template></xsl:otherwise>
      </xsl:choose>
      <xsl:text>, "dates": </xsl:text>
      <xsl:choose>
        <xsl:when test="$plain">"<xsl:value-of select="$dates"/>"</xsl:when>
        <xsl:otherwise><xsl:call-template name="string"><xsl:with-param name="s" select="$dates"/></xsl:call-template></xsl:otherwise>
      </xsl:choose>
      <xsl:text>, "wikidata": </xsl:text>
      <xsl:choose>
        <xsl:when test="$plain">"<xsl:value-of select="$wd"/>"</xsl:when>
        <xsl:otherwise><xsl:call-template name="string"><xsl:with-param name="s" select="$wd"/></xsl:call-template></xsl:otherwise>
      </xsl:choose>
      <xsl:text>, "geonames": </xsl:text>
      <xsl:choose>
        <xsl:when test="$plain">"<xsl:value-of select="$gn"/>"</xsl:when>
        <xsl:otherwise><xsl:call-template name="string"><xsl:with-param name="s" select="$gn"/></xsl:call-template></xsl:otherwise>
      </xsl:choose>
      <xsl:text>, "coordinates": </xsl:text>
      <xsl:variable name="g" select="normalize-space(translate(tei:location/tei:geo, ',', ' '))"/>
      <xsl:variable name="lat" select="number(substring-before($g, ' '))"/>
      <xsl:variable name="lon" select="number(substring-after($g, ' '))"/>
      <xsl:choose>
        <xsl:when test="$lat = $lat and $lon = $lon"><xsl:value-of select="concat('[', $lat, ', ', $lon, ']')"/></xsl:when>
        <xsl:otherwise>null</xsl:otherwise>
      </xsl:choose>
      <xsl:text>, "note": </xsl:text>
      <xsl:choose>
        <xsl:when test="$plain">"<xsl:value-of select="$note"/>"</xsl:when>
        <xsl:otherwise><xsl:call-template name="string"><xsl:with-param name="s" select="$note"/></xsl:call-template></xsl:otherwise>
      </xsl:choose>
      <xsl:text>, "mentions": </xsl:text><xsl:value-of select="count(key('tt-mentions', @xml:id))"/>
      <xsl:text>}</xsl:text>
    </xsl:for-each>
    <xsl:text>&#10;  },&#10;  "mentions": [</xsl:text>
    <!-- The mentions are one piece of the output, written out every 500 mentions
         (trotsky_tei/stream.py): the index of a large corpus is never held whole in memory. -->
    <tts:stream>
      <xsl:call-template name="mentions"/>
      <xsl:fallback><xsl:call-template name="mentions"/></xsl:fallback>
    </tts:stream>
    <xsl:text>&#10;  ]&#10;}&#10;</xsl:text>
  </xsl:template>

  <xsl:template name="mentions">
    <xsl:for-each select="$ix-mentions">
      <xsl:variable name="doc" select="ancestor::tei:div[@type='document'][1]"/>
      <xsl:variable name="head" select="key('ix-head', generate-id($doc))[1]"/>
      <xsl:if test="position() != 1">,</xsl:if>
      <!-- The surface and the document title are the string values unless they hold markup
           that the corrected reading changes; only then are they built as fragments. -->
      <xsl:choose>
        <xsl:when test="descendant::tei:choice or descendant::tei:note or descendant::tei:ref or descendant::tei:lb
                        or $head/descendant::tei:choice or $head/descendant::tei:note or $head/descendant::tei:ref
                        or $head/descendant::tei:lb or $head/descendant::tei:supplied">
          <xsl:call-template name="mention">
            <xsl:with-param name="doc" select="$doc"/>
            <xsl:with-param name="surface"><xsl:call-template name="ix-surface"/></xsl:with-param>
            <xsl:with-param name="title"><xsl:call-template name="ix-title"><xsl:with-param name="head" select="$head"/></xsl:call-template></xsl:with-param>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="mention">
            <xsl:with-param name="doc" select="$doc"/>
            <xsl:with-param name="surface" select="normalize-space(.)"/>
            <xsl:with-param name="title" select="normalize-space($head)"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="position() mod 500 = 0"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- The object of the current mention (position() is its ordinal: call-template keeps the
       current node list). When no value holds a character JSON escapes, the values are written
       as they are (null when empty). -->
  <xsl:template name="mention">
    <xsl:param name="doc"/>
    <xsl:param name="surface"/>
    <xsl:param name="title"/>
    <xsl:variable name="rec" select="key('tt-id', substring-after(@ref, '#'))/parent::*[self::tei:person or self::tei:place or self::tei:org]"/>
    <xsl:variable name="id" select="string($rec/@xml:id)"/>
    <xsl:variable name="pref" select="normalize-space(($rec/*[@type='preferred'] | $rec/*[1][not(../*[@type='preferred'])])[1])"/>
    <xsl:variable name="wd" select="normalize-space($rec/tei:idno[@type='wikidata'][1])"/>
    <xsl:variable name="gn" select="normalize-space($rec/tei:idno[@type='geonames'][1])"/>
    <xsl:variable name="cert" select="string(@cert)"/>
    <xsl:variable name="docid" select="concat($doc/@xml:id, substring('front', 1, 5 * (not($doc) and boolean(ancestor::tei:front))),
                                              substring('back', 1, 4 * (not($doc) and boolean(ancestor::tei:back))))"/>
    <xsl:variable name="all" select="concat($id, $pref, $surface, $docid, $title, $wd, $gn, $cert)"/>
    <xsl:text>&#10;    {"entity_id": </xsl:text>
    <xsl:choose>
      <xsl:when test="translate($all, '\&quot;&#9;&#10;&#13;', '') = $all">
        <xsl:choose><xsl:when test="$id = ''">null</xsl:when><xsl:otherwise>"<xsl:value-of select="$id"/>"</xsl:otherwise></xsl:choose>
        <xsl:text>, "type": "</xsl:text>
        <xsl:value-of select="concat(substring-before(concat(local-name(), 'Name'), 'Name'), substring('on', 1, 2 * (local-name() = 'persName')))"/>
        <xsl:text>", "preferred_name": </xsl:text>
        <xsl:choose><xsl:when test="$pref = ''">null</xsl:when><xsl:otherwise>"<xsl:value-of select="$pref"/>"</xsl:otherwise></xsl:choose>
        <xsl:text>, "surface": </xsl:text>
        <xsl:choose><xsl:when test="string($surface) = ''">null</xsl:when><xsl:otherwise>"<xsl:value-of select="string($surface)"/>"</xsl:otherwise></xsl:choose>
        <xsl:text>, "document_id": </xsl:text>
        <xsl:choose><xsl:when test="$docid = ''">null</xsl:when><xsl:otherwise>"<xsl:value-of select="$docid"/>"</xsl:otherwise></xsl:choose>
        <xsl:text>, "document_title": </xsl:text>
        <xsl:choose><xsl:when test="string($title) = ''">null</xsl:when><xsl:otherwise>"<xsl:value-of select="string($title)"/>"</xsl:otherwise></xsl:choose>
        <xsl:text>, "position": </xsl:text>
        <xsl:value-of select="position()"/>
        <xsl:text>, "wikidata": </xsl:text>
        <xsl:choose><xsl:when test="$wd = ''">null</xsl:when><xsl:otherwise>"<xsl:value-of select="$wd"/>"</xsl:otherwise></xsl:choose>
        <xsl:text>, "geonames": </xsl:text>
        <xsl:choose><xsl:when test="$gn = ''">null</xsl:when><xsl:otherwise>"<xsl:value-of select="$gn"/>"</xsl:otherwise></xsl:choose>
        <xsl:text>, "certainty": </xsl:text>
        <xsl:choose><xsl:when test="$cert = ''">null</xsl:when><xsl:otherwise>"<xsl:value-of select="$cert"/>"</xsl:otherwise></xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="string-or-null"><xsl:with-param name="s" select="$id"/></xsl:call-template>
        <xsl:text>, "type": "</xsl:text>
        <xsl:value-of select="concat(substring-before(concat(local-name(), 'Name'), 'Name'), substring('on', 1, 2 * (local-name() = 'persName')))"/>
        <xsl:text>", "preferred_name": </xsl:text>
        <xsl:call-template name="string-or-null"><xsl:with-param name="s" select="$pref"/></xsl:call-template>
        <xsl:text>, "surface": </xsl:text>
        <xsl:call-template name="string-or-null"><xsl:with-param name="s" select="string($surface)"/></xsl:call-template>
        <xsl:text>, "document_id": </xsl:text>
        <xsl:call-template name="string-or-null"><xsl:with-param name="s" select="$docid"/></xsl:call-template>
        <xsl:text>, "document_title": </xsl:text>
        <xsl:call-template name="string-or-null"><xsl:with-param name="s" select="string($title)"/></xsl:call-template>
        <xsl:text>, "position": </xsl:text>
        <xsl:value-of select="position()"/>
        <xsl:text>, "wikidata": </xsl:text>
        <xsl:call-template name="string-or-null"><xsl:with-param name="s" select="$wd"/></xsl:call-template>
        <xsl:text>, "geonames": </xsl:text>
        <xsl:call-template name="string-or-null"><xsl:with-param name="s" select="$gn"/></xsl:call-template>
        <xsl:text>, "certainty": </xsl:text>
        <xsl:call-template name="string-or-null"><xsl:with-param name="s" select="$cert"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text>}</xsl:text>
  </xsl:template>

  <xsl:template name="string-or-null">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="$s = ''">null</xsl:when>
      <xsl:otherwise><xsl:call-template name="string"><xsl:with-param name="s" select="$s"/></xsl:call-template></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A JSON string: quotes and backslashes escaped; whitespace is already normalised. -->
  <xsl:template name="string">
    <xsl:param name="s"/>
    <xsl:variable name="t" select="translate(string($s), '&#9;&#10;&#13;', '   ')"/>
    <xsl:text>"</xsl:text>
    <xsl:choose>
      <xsl:when test="contains($t, '\') or contains($t, '&quot;')">
        <xsl:variable name="b">
          <xsl:call-template name="ix-replace">
            <xsl:with-param name="s" select="$t"/>
            <xsl:with-param name="from">\</xsl:with-param>
            <xsl:with-param name="to">\\</xsl:with-param>
          </xsl:call-template>
        </xsl:variable>
        <xsl:call-template name="ix-replace">
          <xsl:with-param name="s" select="string($b)"/>
          <xsl:with-param name="from">"</xsl:with-param>
          <xsl:with-param name="to">\"</xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
    </xsl:choose>
    <xsl:text>"</xsl:text>
  </xsl:template>
</xsl:stylesheet>
