/* i18n.c: the table of reason codes and their messages in English and Spanish.
 *
 * One row per enum reason, in enum order (a unit test checks the order, that
 * every code is unique and that no message is missing).  Codes are stable: they
 * are stored in the database and printed on slips, so never rename one. */
#include <string.h>
#include "i18n.h"

struct msg {
	enum reason r;
	const char *code;
	const char *text[LANG_COUNT];
};

static const struct msg msgs[R_COUNT] = {
	{R_NONE, "none", {"", ""}},
	{R_CARD_UNKNOWN, "card_unknown",
	 {"This card is not registered at this station. Ask the plant office.",
	  "Esta tarjeta no está registrada en esta estación. Consulte en la oficina de la planta."}},
	{R_CARD_REVOKED, "card_revoked",
	 {"This card has been withdrawn. Ask the plant office for a new one.",
	  "Esta tarjeta fue retirada. Pida una nueva en la oficina de la planta."}},
	{R_PIN_WRONG, "pin_wrong",
	 {"Wrong PIN. Please try again.",
	  "PIN incorrecto. Inténtelo de nuevo."}},
	{R_PIN_LOCKED, "pin_locked",
	 {"Too many wrong PINs. This card is locked for a while. Try later or call the plant.",
	  "Demasiados PIN incorrectos. Esta tarjeta queda bloqueada un tiempo. Inténtelo más tarde o llame a la planta."}},
	{R_HAULER_SUSPENDED, "hauler_suspended",
	 {"Your company's discharge permit is suspended. No loads can be received.",
	  "El permiso de descarga de su empresa está suspendido. No se pueden recibir cargas."}},
	{R_PERMIT_NOT_VALID, "permit_not_valid",
	 {"Your company's discharge permit is not valid today. Renew it at the plant office.",
	  "El permiso de descarga de su empresa no es válido hoy. Renuévelo en la oficina de la planta."}},
	{R_STATION_CLOSED, "station_closed",
	 {"The station is closed now. See the opening hours on the sign.",
	  "La estación está cerrada ahora. Vea el horario en el letrero."}},
	{R_WASTE_NOT_ALLOWED_HAULER, "waste_not_allowed_hauler",
	 {"Your permit does not cover this type of waste.",
	  "Su permiso no cubre este tipo de residuo."}},
	{R_WASTE_NOT_ALLOWED_STATION, "waste_not_allowed_station",
	 {"This station does not receive this type of waste.",
	  "Esta estación no recibe este tipo de residuo."}},
	{R_RCRA_HAZARDOUS, "rcra_hazardous",
	 {"RCRA hazardous waste is never received here.",
	  "Aquí nunca se reciben residuos peligrosos según RCRA."}},
	{R_NO_WASTE_ANALYSIS, "no_waste_analysis",
	 {"Industrial waste needs a waste analysis on file before discharge.",
	  "Los residuos industriales necesitan un análisis de residuos registrado antes de descargar."}},
	{R_VOLUME_INVALID, "volume_invalid",
	 {"The volume must be a whole number of gallons, at least 1.",
	  "El volumen debe ser un número entero de galones, de 1 como mínimo."}},
	{R_VOLUME_OVER_CAPACITY, "volume_over_capacity",
	 {"The volume is more than this truck's tank can hold.",
	  "El volumen es mayor que la capacidad del tanque de este camión."}},
	{R_DAILY_LIMIT, "daily_limit",
	 {"The station has reached its volume limit for today.",
	  "La estación alcanzó su límite de volumen de hoy."}},
	{R_SOURCE_OUTSIDE_AREA, "source_outside_area",
	 {"A source of this load is outside the plant's service area.",
	  "Una fuente de esta carga está fuera del área de servicio de la planta."}},
	{R_RV_DECLARATION, "rv_declaration",
	 {"Tanks holding chemicals such as formaldehyde deodorisers cannot be emptied here.",
	  "Los tanques con químicos como desodorantes de formaldehído no se pueden vaciar aquí."}},
	{R_SAMPLE_FIRST_LOAD, "sample_first_load",
	 {"First load of this hauler at this station: it will be sampled.",
	  "Primera carga de este transportista en esta estación: se tomará una muestra."}},
	{R_SAMPLE_WASTE_TYPE, "sample_waste_type",
	 {"Loads of this type of waste are always sampled.",
	  "Las cargas de este tipo de residuo siempre se muestrean."}},
	{R_SAMPLE_RCRA_UNKNOWN, "sample_rcra_unknown",
	 {"It is not known whether the load holds RCRA hazardous waste: it will be sampled.",
	  "No se sabe si la carga contiene residuos peligrosos RCRA: se tomará una muestra."}},
	{R_SAMPLE_CONSTITUENTS, "sample_constituents",
	 {"Constituents were declared: the load will be sampled.",
	  "Se declararon componentes: se tomará una muestra de la carga."}},
	{R_SAMPLE_RANDOM, "sample_random",
	 {"This load was picked at random for sampling.",
	  "Esta carga fue elegida al azar para muestreo."}},
	{R_SAMPLE_EVERY_N, "sample_every_n",
	 {"This hauler is due for a routine sample.",
	  "A este transportista le corresponde una muestra de rutina."}},
	{R_SAMPLE_MANUAL, "sample_manual",
	 {"An operator asked for this load to be sampled.",
	  "Un operador pidió que se muestree esta carga."}},
	{R_SAMPLE_NO_ANALYSIS, "sample_no_analysis",
	 {"Industrial waste with no waste analysis on file: it will be sampled before discharge.",
	  "Residuo industrial sin análisis registrado: se tomará una muestra antes de descargar."}},
	{R_TIMEOUT, "timeout",
	 {"The session ended because nothing happened for a while. Nothing was discharged.",
	  "La sesión terminó por inactividad. No se descargó nada."}},
	{R_FAULT_RELAY, "fault_relay",
	 {"The gate or valve control failed. The station is out of service; the gate stays locked.",
	  "Falló el control de la puerta o de la válvula. La estación está fuera de servicio; la puerta sigue cerrada."}},
	{R_FAULT_DB, "fault_db",
	 {"The station cannot save records. It is out of service until the plant fixes it.",
	  "La estación no puede guardar registros. Está fuera de servicio hasta que la planta lo repare."}},
	{R_FAULT_PRINTER, "fault_printer",
	 {"The receipt could not be printed. It is kept and can be reprinted by an operator.",
	  "No se pudo imprimir el recibo. Queda guardado y un operador puede reimprimirlo."}},
	{R_DISCHARGE_MAX_TIME, "discharge_max_time",
	 {"The maximum discharge time was reached: the valve has closed.",
	  "Se alcanzó el tiempo máximo de descarga: la válvula se cerró."}},
	{R_INPUT_BAD_UTF8, "input_bad_utf8",
	 {"That text has characters that cannot be read. Please type it again.",
	  "Ese texto tiene caracteres que no se pueden leer. Escríbalo de nuevo."}},
	{R_INPUT_CONTROL, "input_control",
	 {"That text has invisible control characters. Please type it again.",
	  "Ese texto tiene caracteres de control invisibles. Escríbalo de nuevo."}},
	{R_INPUT_TOO_LONG, "input_too_long",
	 {"That text is too long for this field. Please shorten it.",
	  "Ese texto es demasiado largo para este campo. Acórtelo, por favor."}},
	{R_INPUT_EMPTY, "input_empty",
	 {"This field is required.",
	  "Este campo es obligatorio."}},
	{R_INPUT_NUMBER, "input_number",
	 {"Please enter a whole number.",
	  "Escriba un número entero."}},
	{R_INPUT_CHOICE, "input_choice",
	 {"Please choose one of the options shown.",
	  "Elija una de las opciones que se muestran."}},
	{R_INPUT_TOO_MANY, "input_too_many",
	 {"No more can be added here.",
	  "No se pueden agregar más aquí."}},
	{R_OPERATOR_ONLY, "operator_only",
	 {"Only plant staff can do this. An operator must tap their card.",
	  "Solo el personal de la planta puede hacer esto. Un operador debe pasar su tarjeta."}},
};

const char *i18n_code(enum reason r)
{
	if ((unsigned)r >= R_COUNT)
		return "none";
	return msgs[r].code;
}

enum reason i18n_reason(const char *code)
{
	if (!code)
		return R_NONE;
	for (int i = 1; i < R_COUNT; i++)
		if (strcmp(msgs[i].code, code) == 0)
			return (enum reason)i;
	return R_NONE;
}

const char *i18n_msg(enum reason r, enum lang lang)
{
	if ((unsigned)r >= R_COUNT || (unsigned)lang >= LANG_COUNT)
		return "";
	return msgs[r].text[lang];
}

const char *i18n_lang_code(enum lang lang)
{
	return lang == LANG_ES ? "es" : "en";
}

int i18n_lang_parse(const char *s)
{
	if (s && strcmp(s, "en") == 0)
		return LANG_EN;
	if (s && strcmp(s, "es") == 0)
		return LANG_ES;
	return -1;
}

int i18n_row_reason(int i)
{
	return (i >= 0 && i < R_COUNT) ? (int)msgs[i].r : -1;
}
